import { SceneAppPage, SceneDataLayerSet, SceneFlexLayout, type SceneAppPageLike } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { NODE_FIELDS } from '../../frames/frameFields';
import { nodeHardware } from '../../promql/hardwareQueries';
import { regexEscape } from '../../utils/hostlist';
import { decodeParam, invalidParamItem } from '../../scenes/invalidParam';
import { pageScene } from '../../scenes/pageScene';
import { contentItem, flexItem, NO_PROMETHEUS_NOTE, promRows, slurmRow, slurmTable } from '../../scenes/panels';
import type { SceneContext } from '../../scenes/sceneContext';
import { JOB_TABLE_HIDDEN } from '../../scenes/tableColumns';
import { actionAnnotationsLayer, actionLogPanel } from '../../components/Actions/actionAnnotations';
import { NodeActions } from '../../components/Actions/ActionScenes';
import { NodeSummary } from './NodeSummary';

/** Slurm node names: letters, digits, dash, underscore, dot. */
export const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function nodeDetailPage(ctx: SceneContext, rawName: string, parent: SceneAppPageLike): SceneAppPage {
  const name = decodeParam(rawName);
  const valid = NODE_NAME.test(name);
  const problem = `"${name}" is not a Slurm node name (letters, digits, dot, dash and underscore)`;
  const one = regexEscape(name);
  return new SceneAppPage({
    title: valid ? `Node ${name}` : 'Invalid node name',
    subTitle: valid ? 'Slurm state beside the node’s hardware series' : problem,
    url: `${prefixRoute(ROUTES.Nodes)}/${encodeURIComponent(name)}`,
    routePath: ':name/*',
    getParentPage: () => parent,
    getScene: () =>
      pageScene({
        ctx,
        timePicker: true,
        body: () =>
          valid
            ? [
                contentItem(
                  new SceneFlexLayout({
                    direction: 'column',
                    children: [
                      contentItem(new NodeSummary({ node: name })),
                      contentItem(new NodeActions({ node: name, datasourceUid: ctx.slurm.uid! })),
                    ],
                  }),
                  slurmRow(ctx.slurm, { queryType: 'nodes', nameRegex: `^${one}$` }, NODE_FIELDS.node, name)
                ),
                flexItem(
                  slurmTable(
                    `Jobs on ${name}`,
                    ctx.slurm,
                    { queryType: 'jobs', nodes: [name], sort: { field: 'submit_time', desc: true } },
                    JOB_TABLE_HIDDEN
                  ),
                  260
                ),
                ...(ctx.prometheus
                  ? [
                      contentItem(
                        new SceneFlexLayout({
                          direction: 'column',
                          $data: new SceneDataLayerSet({ layers: [actionAnnotationsLayer('node', name)] }),
                          children: promRows(ctx.prometheus, nodeHardware(name, one, ctx.nodeMapping), 240),
                        })
                      ),
                    ]
                  : [NO_PROMETHEUS_NOTE('node_exporter, GPU, temperature and power panels')]),
                // The operator actions on the node (also marked on the hardware panels' time axis).
                flexItem(actionLogPanel('node', name), 160),
              ]
            : [invalidParamItem('Invalid node name', problem)],
      }),
  });
}
