import React from 'react';
import { LoadingState } from '@grafana/data';
import { SceneObjectBase, sceneGraph, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { FactGrid, type Fact } from '../../components/FactGrid/FactGrid';
import { formatMegabytes, formatTime, frameRow, type Row } from '../../frames/frameRows';
import { stateColor } from '../../components/NodeMap/nodeMapModel';
import { NODE_FIELDS as F } from '../../frames/frameFields';

interface State extends SceneObjectState {
  node: string;
}

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** "3 of 4" for an allocation, or just the total when nothing is allocated. */
function ofTotal(used: string, total: string): string {
  return used && used !== '0' ? `${used} of ${total}` : total ? `${total}, none allocated` : '';
}

/** The node's resources as an operator reads them: allocated of total, memory in GB. */
function facts(row: Row): Fact[] {
  return [
    { label: 'Partitions', value: text(row[F.partitions]) },
    { label: 'CPUs allocated', value: ofTotal(text(row[F.cpusAllocated]), text(row[F.cpus])) },
    { label: 'CPU load', value: text(row[F.cpuLoad]) },
    {
      label: 'Memory allocated',
      value: ofTotal(
        formatMegabytes(row[F.memoryAllocatedMb]).replace(/^0 \w+$/, ''),
        formatMegabytes(row[F.memoryMb])
      ),
    },
    { label: 'Memory free (OS)', value: formatMegabytes(row[F.memoryFreeMb]) },
    {
      label: 'GPUs allocated',
      value: text(row[F.gpus]) === '0' ? 'no GPUs' : ofTotal(text(row[F.gpusAllocated]), text(row[F.gpus])),
    },
    { label: 'Features', value: text(row[F.features]) },
    { label: 'Address', value: text(row[F.address]) },
  ];
}

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
        <FactGrid label="Node" facts={facts(row)} />
      </div>
    );
  };
}
