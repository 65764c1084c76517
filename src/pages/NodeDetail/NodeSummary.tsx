import React from 'react';
import { LoadingState } from '@grafana/data';
import { SceneObjectBase, sceneGraph, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { frameRow, formatTime } from '../frameRows';
import { stateColor } from '../../components/NodeMap/nodeMapModel';

interface State extends SceneObjectState {
  node: string;
}

const FIELDS: Array<[string, string]> = [
  ['partitions', 'Partitions'],
  ['cpus_alloc', 'CPUs allocated'],
  ['cpus', 'CPUs'],
  ['cpu_load', 'CPU load'],
  ['memory_alloc_mb', 'Memory allocated (MB)'],
  ['memory_mb', 'Memory (MB)'],
  ['memory_free_mb', 'Memory free (MB)'],
  ['gpus_alloc', 'GPUs allocated'],
  ['gpus', 'GPUs'],
  ['features', 'Features'],
  ['address', 'Address'],
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
    const state = String(row.state ?? row.state_base ?? 'UNKNOWN');
    return (
      <div>
        <p>
          <span
            aria-label="Node state"
            style={{
              background: stateColor(String(row.state_base ?? state)),
              color: '#fff',
              padding: '2px 8px',
              borderRadius: 4,
            }}
          >
            {state}
          </span>
        </p>
        {row.reason ? (
          <p aria-label="Reason">
            Reason: <strong>{String(row.reason)}</strong>
            {row.reason_set_by ? ` — set by ${String(row.reason_set_by)}` : ''}
            {row.reason_time ? ` on ${formatTime(row.reason_time)}` : ''}
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
