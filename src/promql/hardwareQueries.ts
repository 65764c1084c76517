import type { NodeMapping } from '../settings';
import { DCGM_MAPPING, IPMI_MAPPING, nodeLabelOf, nodeMetricQuery, perNodeExpr } from './nodeSeries';

/**
 * Every Prometheus query the app's pages send, as data: the pages draw panels from these, and
 * pageQueries.test.ts writes them for each node mapping into the golden file that scripts/querycheck
 * evaluates against a real Prometheus (so an expression that Prometheus refuses fails a test, not a page).
 */
export interface PromTarget {
  expr: string;
  legendFormat?: string;
}

export interface PromPanelSpec {
  title: string;
  unit?: string;
  targets: PromTarget[];
}

/** Panels drawn side by side. */
export type PromRow = PromPanelSpec[];

const CPU_BUSY = '1 - rate(node_cpu_seconds_total{mode="idle",__NODE__}[$__rate_interval])';
const CPU_NOT_IDLE = 'rate(node_cpu_seconds_total{mode!="idle",__NODE__}[$__rate_interval])';
const MEMORY_USED = 'node_memory_MemTotal_bytes{__NODE__} - node_memory_MemAvailable_bytes{__NODE__}';
const MEMORY_TOTAL = 'node_memory_MemTotal_bytes{__NODE__}';
const NET_RX = 'rate(node_network_receive_bytes_total{device!="lo",__NODE__}[$__rate_interval])';
const NET_TX = 'rate(node_network_transmit_bytes_total{device!="lo",__NODE__}[$__rate_interval])';

/** The node page: node_exporter, DCGM (Hostname label) and IPMI panels of one node. */
export function nodeHardware(node: string, nodeRegex: string, m: NodeMapping): PromRow[] {
  return [
    [
      {
        title: `CPU load of ${node}`,
        targets: [{ expr: nodeMetricQuery('node_load1', node, m), legendFormat: 'load 1m' }],
      },
      {
        title: 'CPU busy',
        unit: 'percentunit',
        targets: [{ expr: perNodeExpr(CPU_BUSY, nodeRegex, m, 'avg'), legendFormat: 'busy' }],
      },
      {
        title: 'Memory used',
        unit: 'bytes',
        targets: [
          { expr: perNodeExpr(MEMORY_USED, nodeRegex, m), legendFormat: 'used' },
          { expr: perNodeExpr(MEMORY_TOTAL, nodeRegex, m), legendFormat: 'total' },
        ],
      },
      {
        title: 'Network',
        unit: 'Bps',
        targets: [
          { expr: perNodeExpr(NET_RX, nodeRegex, m), legendFormat: 'received' },
          { expr: perNodeExpr(NET_TX, nodeRegex, m), legendFormat: 'sent' },
        ],
      },
    ],
    [
      {
        title: 'GPU utilisation',
        unit: 'percent',
        targets: [{ expr: nodeMetricQuery('DCGM_FI_DEV_GPU_UTIL', node, DCGM_MAPPING), legendFormat: 'GPU {{gpu}}' }],
      },
      {
        title: 'GPU memory used',
        unit: 'decmbytes',
        targets: [{ expr: nodeMetricQuery('DCGM_FI_DEV_FB_USED', node, DCGM_MAPPING), legendFormat: 'GPU {{gpu}}' }],
      },
      {
        title: 'GPU temperature',
        unit: 'celsius',
        targets: [{ expr: nodeMetricQuery('DCGM_FI_DEV_GPU_TEMP', node, DCGM_MAPPING), legendFormat: 'GPU {{gpu}}' }],
      },
    ],
    [
      {
        title: 'Temperatures (IPMI)',
        unit: 'celsius',
        targets: [{ expr: nodeMetricQuery('ipmi_temperature_celsius', node, IPMI_MAPPING), legendFormat: '{{name}}' }],
      },
      {
        title: 'Power (IPMI)',
        unit: 'watt',
        targets: [{ expr: nodeMetricQuery('ipmi_power_watts', node, IPMI_MAPPING), legendFormat: '{{name}}' }],
      },
    ],
  ];
}

/** What the job page knows of a job once Slurm (or accounting) answered: where it ran and on how many CPUs. */
export interface JobPlacement {
  /** The numeric Slurm job id (an array task's own id, not 123_4): what per-job exporters put in `jobid`. */
  jobId: string;
  /** A regex of the job's node names (escaped, joined with |); never empty. */
  nodesRegex: string;
  /** CPUs Slurm allocated to the job; 0 when unknown (no efficiency then). */
  cpus: number;
}

/** The cgroup / jobstats exporter labels a job's own series with jobid (DESIGN §6). */
export function perJobSeriesCount(jobId: string): string {
  return `count({jobid="${jobId}"})`;
}

/** The job's own series from a cgroup / jobstats exporter (shown when perJobSeriesCount finds any). */
export function jobCgroup(jobId: string): PromRow {
  const job = `jobid="${jobId}"`;
  return [
    {
      title: 'Job CPU use (cgroup)',
      unit: 'percentunit',
      targets: [
        {
          expr: `sum(rate(cgroup_cpu_total_seconds{${job}}[$__rate_interval])) / sum(cgroup_cpus{${job}})`,
          legendFormat: 'CPU time / allocated CPUs',
        },
      ],
    },
    {
      title: 'Job memory (cgroup)',
      unit: 'bytes',
      targets: [
        { expr: `sum(cgroup_memory_rss_bytes{${job}})`, legendFormat: 'resident' },
        { expr: `sum(cgroup_memory_total_bytes{${job}})`, legendFormat: 'limit' },
      ],
    },
  ];
}

/** The job page: the hardware of the job's nodes over its run. */
export function jobNodesHardware({ nodesRegex, cpus }: JobPlacement, m: NodeMapping): PromRow[] {
  const legend = `{{${nodeLabelOf(m)}}}`;
  const rows: PromRow[] = [];
  if (cpus > 0) {
    // Busy CPU seconds per second on the job's nodes over the CPUs Slurm gave the job: 1 = every allocated
    // CPU busy. Node-level, so other jobs on shared nodes count too (the note above the panels says so).
    rows.push([
      {
        title: 'CPU efficiency (live, node-level)',
        unit: 'percentunit',
        targets: [
          { expr: `sum(${perNodeExpr(CPU_NOT_IDLE, nodesRegex, m)}) / ${cpus}`, legendFormat: 'busy / allocated CPUs' },
        ],
      },
    ]);
  }
  rows.push(
    [
      {
        title: 'CPU busy per node',
        unit: 'percentunit',
        targets: [{ expr: perNodeExpr(CPU_BUSY, nodesRegex, m, 'avg'), legendFormat: legend }],
      },
      {
        title: 'Memory used per node',
        unit: 'bytes',
        targets: [{ expr: perNodeExpr(MEMORY_USED, nodesRegex, m), legendFormat: legend }],
      },
      {
        title: 'Network received per node',
        unit: 'Bps',
        targets: [{ expr: perNodeExpr(NET_RX, nodesRegex, m), legendFormat: legend }],
      },
    ],
    [
      gpuPanel('GPU utilisation', 'DCGM_FI_DEV_GPU_UTIL', 'percent', 'avg', nodesRegex),
      gpuPanel('GPU memory used', 'DCGM_FI_DEV_FB_USED', 'decmbytes', 'sum', nodesRegex),
      gpuPanel('GPU power', 'DCGM_FI_DEV_POWER_USAGE', 'watt', 'sum', nodesRegex),
    ]
  );
  return rows;
}

function gpuPanel(title: string, metric: string, unit: string, agg: string, nodesRegex: string): PromPanelSpec {
  return {
    title,
    unit,
    targets: [
      { expr: perNodeExpr(`${metric}{__NODE__}`, nodesRegex, DCGM_MAPPING, agg), legendFormat: '{{Hostname}}' },
    ],
  };
}

/** What the node map can colour nodes by from Prometheus. */
export type MapMetric = 'load' | 'temperature' | 'power';

/** The node map's colouring by a Prometheus metric: one instant value per node, and the label naming it. */
export function mapMetricQuery(metric: MapMetric, m: NodeMapping): { expr: string; nodeLabel: string } {
  switch (metric) {
    case 'temperature':
      return {
        expr: perNodeExpr('ipmi_temperature_celsius{__NODE__}', '.+', IPMI_MAPPING, 'max'),
        nodeLabel: 'instance',
      };
    case 'power':
      return { expr: perNodeExpr('ipmi_power_watts{__NODE__}', '.+', IPMI_MAPPING, 'sum'), nodeLabel: 'instance' };
    case 'load':
    default:
      return { expr: perNodeExpr('node_load1{__NODE__}', '.+', m, 'avg'), nodeLabel: nodeLabelOf(m) };
  }
}

/** The Overview's cluster-wide hardware (every node the Prometheus scrapes). */
export function clusterHardware(): PromRow {
  return [
    {
      title: 'Cluster CPU use',
      unit: 'percentunit',
      targets: [
        { expr: '1 - avg(rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval]))', legendFormat: 'CPU busy' },
      ],
    },
    {
      title: 'Cluster memory use',
      unit: 'percentunit',
      targets: [
        {
          expr: '1 - sum(node_memory_MemAvailable_bytes) / sum(node_memory_MemTotal_bytes)',
          legendFormat: 'memory used',
        },
      ],
    },
    {
      title: 'Cluster GPU use',
      unit: 'percent',
      targets: [{ expr: 'avg(DCGM_FI_DEV_GPU_UTIL)', legendFormat: 'GPU busy' }],
    },
    {
      title: 'Hottest sensor',
      unit: 'celsius',
      targets: [{ expr: 'max(ipmi_temperature_celsius)', legendFormat: 'max IPMI temperature' }],
    },
  ];
}
