import { nodeMetricQuery, perNodeExpr } from './nodeSeries';

describe('nodeMetricQuery', () => {
  it('joins node_uname_info on instance by default', () => {
    expect(nodeMetricQuery('node_load1', 'node01', { mode: 'uname' })).toBe(
      'node_load1 * on(instance) group_left(nodename) node_uname_info{nodename="node01"}'
    );
  });

  it('filters on the configured label', () => {
    expect(nodeMetricQuery('node_load1', 'gpu02', { mode: 'label', label: 'host' })).toBe('node_load1{host="gpu02"}');
  });

  it('fills $node into the instance pattern', () => {
    expect(nodeMetricQuery('node_load1', 'node03', { mode: 'regex', regex: '$node\\.cluster:9100' })).toBe(
      'node_load1{instance=~"node03\\\\.cluster:9100"}'
    );
  });

  it('escapes quotes so a name cannot break out of the selector', () => {
    expect(nodeMetricQuery('node_load1', 'a"b', { mode: 'label', label: 'host' })).toBe('node_load1{host="a\\"b"}');
  });
});

describe('perNodeExpr', () => {
  const template = 'rate(node_cpu_seconds_total{mode!="idle",__NODE__}[5m])';
  it('joins node_uname_info for uname', () => {
    expect(perNodeExpr(template, 'node0[12]', { mode: 'uname' })).toBe(
      'sum by (nodename) (rate(node_cpu_seconds_total{mode!="idle"}[5m]) * on(instance) group_left(nodename) node_uname_info{nodename=~"node0[12]"})'
    );
  });
  it('filters on the label for label mode', () => {
    expect(perNodeExpr('DCGM_FI_DEV_GPU_UTIL{__NODE__}', 'gpu1', { mode: 'label', label: 'Hostname' }, 'avg')).toBe(
      'avg by (Hostname) (DCGM_FI_DEV_GPU_UTIL{Hostname=~"gpu1"})'
    );
  });
  it('fills the instance template for regex mode', () => {
    expect(perNodeExpr('node_load1{__NODE__}', 'n1|n2', { mode: 'regex', regex: '$node:9100' })).toBe(
      'sum by (instance) (node_load1{instance=~"(n1|n2):9100"})'
    );
  });
});
