import React from 'react';
import { LoadingState } from '@grafana/data';
import { SceneObjectBase, sceneGraph, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { frameRow, formatTime } from '../frameRows';
import { stateColor } from '../../components/NodeMap/nodeMapModel';
import { NODE_FIELDS as F } from '../frameFields';

interface State extends SceneObjectState {
  node: string;
}

const FIELDS: Array<[string, string]> = [
  [F.partitions, 'Partitions'],
  [F.cpusAllocated, 'CPUs allocated'],
  [F.cpus, 'CPUs'],
  [F.cpuLoad, 'CPU load'],
  [F.memoryAllocatedMb, 'Memory allocated (MB)'],
  [F.memoryMb, 'Memory (MB)'],
  [F.memoryFreeMb, 'Memory free (MB)'],
  [F.gpusAllocated, 'GPUs allocated'],
  [F.gpus, 'GPUs'],
  [F.features, 'Features'],
  [F.address, 'Address'],
];

/**
 * The node's Slurm state and why: state with flags, the reason, who set it and when (what an operator
 * checks before resuming a drained node). Plain React: a record with a coloured state, not a panel.
 */
export class NodeSummary extends SceneObjectBase<State> {
  static Component = ({ model }: SceneComponentProps<NodeSummary>) => {
    const { data } = sceneGraph.getData(model).useState();
    const row = frameRow(data?.series[0]);
    if (!row) {
      if (!data || data.state === LoadingState.Loading || data.state === LoadingState.NotStarted) {
        return <LoadingPlaceholder text="Loading node…" />;
      }
      if (data.state === LoadingState.Error) {
        return (
          <Alert severity="error" title="Could not load the node">
            {data.errors?.[0]?.message}
          </Alert>
        );
      }
      return <Alert severity="warning" title={`Slurm does not know a node ${model.state.node}`} />;
    }
    const state = String(row[F.state] ?? row[F.stateBase] ?? 'UNKNOWN');
    return (
      <div>
        <p>
          <span
            aria-label="Node state"
            style={{
              background: stateColor(String(row[F.stateBase] ?? state)),
              color: '#fff',
              padding: '2px 8px',
              borderRadius: 4,
            }}
          >
            {state}
          </span>
        </p>
        {row[F.reason] ? (
          <p aria-label="Reason">
            Reason: <strong>{String(row[F.reason])}</strong>
            {row[F.reasonSetBy] ? ` — set by ${String(row[F.reasonSetBy])}` : ''}
            {row[F.reasonTime] ? ` on ${formatTime(row[F.reasonTime])}` : ''}
          </p>
        ) : null}
        <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 16, rowGap: 4 }}>
          {FIELDS.filter(([key]) => row[key] !== undefined).map(([key, label]) => (
            <React.Fragment key={key}>
              <dt>{label}</dt>
              <dd style={{ margin: 0 }}>{row[key] === null || row[key] === '' ? '—' : String(row[key])}</dd>
            </React.Fragment>
          ))}
        </dl>
      </div>
    );
  };
}
