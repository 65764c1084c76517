import { SceneDataTransformer, SceneFlexLayout, type VizPanel } from '@grafana/scenes';
import { flexItem, rowBarGauge, slurmQuery } from './panels';
import type { SceneContext } from './sceneContext';
import { PARTITION_FIELDS as F } from '../frames/frameFields';
import { shareOf } from './transforms';

/**
 * One bar per partition, labelled with the partition: the share of its CPUs (or GPUs) allocated now, from
 * the backend's derived cpus_allocated/gpus_allocated and totals. A partition without GPUs has no GPU bar.
 */
function allocatedShare(ctx: SceneContext, what: 'cpu' | 'gpu', partitions?: string): VizPanel {
  const cpu = what === 'cpu';
  return rowBarGauge(cpu ? 'CPUs allocated by partition' : 'GPUs allocated by partition')
    .setData(
      new SceneDataTransformer({
        $data: slurmQuery(ctx.slurm, { queryType: 'partitions', ...(partitions ? { partitions } : {}) }),
        transformations: [
          shareOf({
            group: F.partition,
            used: cpu ? F.cpusAllocated : F.gpusAllocated,
            total: cpu ? F.totalCpus : F.gpus,
            title: cpu ? 'CPUs allocated' : 'GPUs allocated',
          }),
        ],
      })
    )
    .setUnit('percentunit')
    .setMax(1)
    .setNoValue(cpu ? 'No partition has CPUs' : 'No partition has GPUs')
    .build();
}

/** CPU and GPU allocation per partition, side by side. */
export function partitionUtilisation(ctx: SceneContext, partitions?: string): SceneFlexLayout {
  return new SceneFlexLayout({
    children: [
      flexItem(allocatedShare(ctx, 'cpu', partitions), 200),
      flexItem(allocatedShare(ctx, 'gpu', partitions), 200),
    ],
  });
}
