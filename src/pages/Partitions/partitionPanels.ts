import { PanelBuilders, SceneDataTransformer, type VizPanel } from '@grafana/scenes';
import { slurmQuery } from '../panels';
import type { SceneContext } from '../sceneContext';

/** Share of a partition's CPUs or GPUs allocated now, computed from the partitions frame's totals. */
function share(alias: string, used: string, total: string) {
  return {
    id: 'calculateField',
    options: { mode: 'binary', alias, binary: { left: used, operator: '/', right: total }, replaceFields: false },
  };
}

/** One bar per partition: CPU and GPU use, from the backend's derived cpus_alloc/gpus_alloc. */
export function partitionUtilisation(title: string, ctx: SceneContext): VizPanel {
  const data = new SceneDataTransformer({
    $data: slurmQuery(ctx.slurm, 'partitions'),
    transformations: [
      share('CPU use', 'cpus_alloc', 'cpus'),
      share('GPU use', 'gpus_alloc', 'gpus'),
      { id: 'organize', options: { includeByName: { partition: true, 'CPU use': true, 'GPU use': true } } },
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
