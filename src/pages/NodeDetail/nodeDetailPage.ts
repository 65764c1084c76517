import {
  EmbeddedScene,
  PanelBuilders,
  SceneAppPage,
  SceneFlexLayout,
  SceneQueryRunner,
  SceneTimePicker,
  SceneTimeRange,
  type SceneAppPageLike,
  type SceneFlexItem,
} from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { invalidParamItem } from '../invalidParam';
import { flexItem, slurmRowTable } from '../panels';
import type { SceneContext } from '../sceneContext';
import { nodeMetricQuery } from './nodeSeries';

/** Slurm node names: letters, digits, dash, underscore, dot. */
const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function loadPanel(ctx: SceneContext, node: string): SceneFlexItem[] {
  if (!ctx.prometheus) {
    return [];
  }
  const runner = new SceneQueryRunner({
    datasource: ctx.prometheus,
    queries: [{ refId: 'A', expr: nodeMetricQuery('node_load1', node, ctx.nodeMapping), legendFormat: 'load 1m' }],
  });
  return [flexItem(PanelBuilders.timeseries().setTitle(`CPU load of ${node}`).setData(runner).build())];
}

export function nodeDetailPage(ctx: SceneContext, rawName: string, parent: SceneAppPageLike): SceneAppPage {
  const name = decodeURIComponent(rawName);
  const valid = NODE_NAME.test(name);
  const problem = `"${name}" is not a Slurm node name (letters, digits, dot, dash and underscore)`;
  return new SceneAppPage({
    title: valid ? `Node ${name}` : 'Invalid node name',
    subTitle: valid ? 'Slurm state beside the node’s hardware series' : problem,
    url: `${prefixRoute(ROUTES.Nodes)}/${encodeURIComponent(name)}`,
    routePath: ':name/*',
    getParentPage: () => parent,
    $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
    controls: [new SceneTimePicker({ isOnCanvas: true })],
    getScene: () =>
      new EmbeddedScene({
        body: new SceneFlexLayout({
          direction: 'column',
          children: valid
            ? [flexItem(slurmRowTable(`Node ${name}`, ctx.slurm, 'nodes', 'node', name)), ...loadPanel(ctx, name)]
            : [invalidParamItem('Invalid node name', problem)],
        }),
      }),
  });
}
