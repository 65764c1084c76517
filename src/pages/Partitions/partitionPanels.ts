import { PanelBuilders, SceneDataTransformer, type VizPanel } from '@grafana/scenes';
import { slurmQuery } from '../panels';
import type { SceneContext } from '../sceneContext';
import { PARTITION_FIELDS as F } from '../frameFields';

/** Share of a partition's CPUs or GPUs allocated now, computed from the partitions frame's totals. */
function share(alias: string, used: string, total: string) {
  return {
    id: 'calculateField',
    options: { mode: 'binary', alias, binary: { left: used, operator: '/', right: total }, replaceFields: false },
  };
}

/** One bar per partition: CPU and GPU use, from the backend's derived cpus_allocated/gpus_allocated and totals. */
export function partitionUtilisation(title: string, ctx: SceneContext): VizPanel {
  const data = new SceneDataTransformer({
    $data: slurmQuery(ctx.slurm, 'partitions'),
    transformations: [
      share('CPU use', F.cpusAllocated, F.totalCpus),
      share('GPU use', F.gpusAllocated, F.gpus),
      { id: 'organize', options: { includeByName: { [F.partition]: true, 'CPU use': true, 'GPU use': true } } },
    ],
  });
  return PanelBuilders.bargauge()
    .setTitle(title)
    .setData(data)
    .setUnit('percentunit')
    .setMin(0)
    .setMax(1)
    .setOption('reduceOptions', { values: true, calcs: [], fields: '' })
    .build();
}
