import React from 'react';
import type { DataFrame } from '@grafana/data';
import {
  SceneObjectBase,
  VizPanel,
  sceneGraph,
  type SceneComponentProps,
  type SceneObject,
  type SceneObjectState,
} from '@grafana/scenes';
import { Text } from '@grafana/ui';
import { JOB_FIELDS, NODE_FIELDS } from '../../frames/frameFields';
import { frameRow } from '../../frames/frameRows';
import { filterMask, nodeColumns } from '../NodeMap/nodeMapModel';
import { NodeMapScene } from '../NodeMap/NodeMapScene';
import { ActionBar } from './ActionBar';
import { BULK_JOB_ACTIONS, BULK_NODE_ACTIONS, nodeActionsFor } from './actionsFor';
import { SelectionActions } from './SelectionActions';
import { useActionCapabilities } from './useActionCapabilities';

/** A job id the action routes take: 123 or 123_4 (not a pending array record 123_[5-9]). */
export const ACTIONABLE_JOB_ID = /^\d+(_\d+)?$/;

/** Runs the page's queries again, as its refresh picker does: the change an action made shows at once. */
export function refreshPage(model: SceneObject) {
  sceneGraph.getTimeRange(model).onRefresh();
}

interface ClusterState extends SceneObjectState {
  /** The Slurm data source's uid, usually "${cluster}" (the cluster picker). */
  datasourceUid: string;
}

interface NodeActionsState extends ClusterState {
  node: string;
}

/** The node page's action buttons: resume a drained node, drain one that takes jobs (with a reason). */
export class NodeActions extends SceneObjectBase<NodeActionsState> {
  static Component = ({ model }: SceneComponentProps<NodeActions>) => <NodeActionsView model={model} />;
}

function NodeActionsView({ model }: SceneComponentProps<NodeActions>) {
  const { data } = sceneGraph.getData(model).useState();
  const uid = sceneGraph.interpolate(model, model.state.datasourceUid);
  const capabilities = useActionCapabilities(uid);
  const row = frameRow(data?.series[0]);
  const state = String(row?.[NODE_FIELDS.state] ?? '');
  const actions = row ? nodeActionsFor(String(row[NODE_FIELDS.stateBase] ?? ''), state.split('+').slice(1)) : [];
  return (
    <section aria-label="Node actions">
      <ActionBar
        datasourceUid={uid}
        actions={actions.length > 0 ? actions : ['drain', 'resume']}
        targets={row ? [model.state.node] : []}
        capabilities={capabilities}
        noTargets="Slurm has not reported this node yet"
        onDone={() => refreshPage(model)}
      />
    </section>
  );
}

interface BulkJobsState extends ClusterState {
  /** The title of the jobs table whose rows can be chosen. */
  tableTitle: string;
}

/** Job ids a jobs frame shows that the routes can act on, in the frame's order. */
export function actionableJobIds(frame: DataFrame | undefined): string[] {
  const ids = frame?.fields.find((f) => f.name === JOB_FIELDS.jobId)?.values ?? [];
  return ids.map((v) => String(v)).filter((id) => ACTIONABLE_JOB_ID.test(id));
}

/** Bulk cancel, hold and release of jobs chosen among the rows of the page's jobs table. */
export class BulkJobActions extends SceneObjectBase<BulkJobsState> {
  static Component = ({ model }: SceneComponentProps<BulkJobActions>) => <BulkJobActionsView model={model} />;
}

function BulkJobActionsView({ model }: SceneComponentProps<BulkJobActions>) {
  const table = sceneGraph.findObject(model, (o) => o instanceof VizPanel && o.state.title === model.state.tableTitle);
  if (!table) {
    throw new Error(`BulkJobActions: the page has no table titled ${model.state.tableTitle}`);
  }
  const { data } = sceneGraph.getData(table).useState();
  const uid = sceneGraph.interpolate(model, model.state.datasourceUid);
  const capabilities = useActionCapabilities(uid);
  return (
    <SelectionActions
      datasourceUid={uid}
      actions={BULK_JOB_ACTIONS}
      shown={actionableJobIds(data?.series[0])}
      noun="job"
      capabilities={capabilities}
      onDone={() => refreshPage(model)}
    />
  );
}

type BulkNodesState = ClusterState;

/** Bulk drain and resume of nodes chosen among those the node map's filter matches. */
export class BulkNodeActions extends SceneObjectBase<BulkNodesState> {
  static Component = ({ model }: SceneComponentProps<BulkNodeActions>) => <BulkNodeActionsView model={model} />;
}

function BulkNodeActionsView({ model }: SceneComponentProps<BulkNodeActions>) {
  // The page's node map: its filter chooses the nodes shown here.
  const map = sceneGraph.findObject(model, (o) => o instanceof NodeMapScene) as NodeMapScene | null;
  if (!map) {
    throw new Error('BulkNodeActions: the page has no node map');
  }
  const { filter } = map.useState();
  const { data } = sceneGraph.getData(map).useState();
  const uid = sceneGraph.interpolate(model, model.state.datasourceUid);
  const capabilities = useActionCapabilities(uid);
  const cols = nodeColumns(data?.series.find((f) => f.refId === 'nodes') ?? data?.series[0]);
  const mask = filterMask(cols, filter);
  const shown = cols.names.filter((_, i) => !mask || mask[i] === 1);
  return (
    <>
      <SelectionActions
        datasourceUid={uid}
        actions={BULK_NODE_ACTIONS}
        shown={shown}
        noun="node"
        capabilities={capabilities}
        onDone={() => refreshPage(model)}
      />
      {filter.trim() !== '' && (
        <Text variant="bodySmall" color="secondary">
          {`The map's filter "${filter}" chooses which nodes are shown here.`}
        </Text>
      )}
    </>
  );
}
