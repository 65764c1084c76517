import { SceneAppPage, SceneFlexItem, SceneFlexLayout, type SceneAppPageLike, type SceneObject } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { NODE_FIELDS } from '../frameFields';
import { regexEscape } from '../hostlist';
import { invalidParamItem } from '../invalidParam';
import { pageScene } from '../page';
import { flexItem, linkedTable, NO_PROMETHEUS_NOTE, promTimeseries, slurmQuery, slurmRow } from '../panels';
import type { SceneContext } from '../sceneContext';
import { nodeMetricQuery, perNodeExpr } from './nodeSeries';
import { NodeSummary } from './NodeSummary';

/** Slurm node names: letters, digits, dash, underscore, dot. */
export const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** node_exporter, DCGM (Hostname label) and IPMI panels of one node (DESIGN §6). */
function hardwarePanels(ctx: SceneContext, node: string): SceneObject[] {
  if (!ctx.prometheus) {
    return [NO_PROMETHEUS_NOTE('node_exporter, GPU, temperature and power panels')];
  }
  const prom = ctx.prometheus;
  const m = ctx.nodeMapping;
  const one = regexEscape(node);
  const gpu = { mode: 'label' as const, label: 'Hostname' };
  return [
    new SceneFlexLayout({
      children: [
        flexItem(
          promTimeseries(`CPU load of ${node}`, prom, [
            { expr: nodeMetricQuery('node_load1', node, m), legendFormat: 'load 1m' },
          ]),
          240
        ),
        flexItem(
          promTimeseries(
            'CPU busy',
            prom,
            [
              {
                expr: perNodeExpr(
                  '1 - rate(node_cpu_seconds_total{mode="idle",__NODE__}[$__rate_interval])',
                  one,
                  m,
                  'avg'
                ),
                legendFormat: 'busy',
              },
            ],
            'percentunit'
          ),
          240
        ),
        flexItem(
          promTimeseries(
            'Memory used',
            prom,
            [
              {
                expr: perNodeExpr(
                  'node_memory_MemTotal_bytes{__NODE__} - node_memory_MemAvailable_bytes{__NODE__}',
                  one,
                  m
                ),
                legendFormat: 'used',
              },
            ],
            'bytes'
          ),
          240
        ),
        flexItem(
          promTimeseries(
            'Network',
            prom,
            [
              {
                expr: perNodeExpr(
                  'rate(node_network_receive_bytes_total{device!="lo",__NODE__}[$__rate_interval])',
                  one,
                  m
                ),
                legendFormat: 'received',
              },
              {
                expr: perNodeExpr(
                  'rate(node_network_transmit_bytes_total{device!="lo",__NODE__}[$__rate_interval])',
                  one,
                  m
                ),
                legendFormat: 'sent',
              },
            ],
            'Bps'
          ),
          240
        ),
      ],
    }),
    new SceneFlexLayout({
      children: [
        flexItem(
          promTimeseries(
            'GPU utilisation',
            prom,
            [{ expr: `DCGM_FI_DEV_GPU_UTIL{Hostname=~"${one}"}`, legendFormat: 'GPU {{gpu}}' }],
            'percent'
          ),
          240
        ),
        flexItem(
          promTimeseries(
            'GPU memory used',
            prom,
            [{ expr: `DCGM_FI_DEV_FB_USED{Hostname=~"${one}"}`, legendFormat: 'GPU {{gpu}}' }],
            'decmbytes'
          ),
          240
        ),
        flexItem(
          promTimeseries(
            'GPU temperature',
            prom,
            [{ expr: perNodeExpr('DCGM_FI_DEV_GPU_TEMP{__NODE__}', one, gpu, 'max'), legendFormat: 'hottest GPU' }],
            'celsius'
          ),
          240
        ),
      ],
    }),
    new SceneFlexLayout({
      children: [
        flexItem(
          promTimeseries(
            'Temperatures (IPMI)',
            prom,
            [{ expr: nodeMetricQuery('ipmi_temperature_celsius', node, m), legendFormat: '{{name}}' }],
            'celsius'
          ),
          240
        ),
        flexItem(
          promTimeseries(
            'Power (IPMI)',
            prom,
            [{ expr: nodeMetricQuery('ipmi_power_watts', node, m), legendFormat: '{{name}}' }],
            'watt'
          ),
          240
        ),
      ],
    }),
  ];
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
    getScene: () =>
      pageScene({
        ctx,
        timePicker: true,
        body: () =>
          valid
            ? [
                new SceneFlexItem({
                  $data: slurmRow(ctx.slurm, 'nodes', NODE_FIELDS.node, name, { nameRegex: `^${regexEscape(name)}$` }),
                  body: new NodeSummary({ node: name }),
                }),
                flexItem(
                  linkedTable(`Jobs on ${name}`)
                    .setData(slurmQuery(ctx.slurm, 'jobs', { nodes: [name] }))
                    .build(),
                  260
                ),
                ...hardwarePanels(ctx, name),
              ]
            : [invalidParamItem('Invalid node name', problem)],
      }),
  });
}
