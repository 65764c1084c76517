import { IPMI_MAPPING, nodeMetricQuery, perNodeExpr } from './nodeSeries';

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

  it('reads IPMI series by their target, the node name, whatever the node_exporter mapping', () => {
    expect(nodeMetricQuery('ipmi_power_watts', 'node05', IPMI_MAPPING)).toBe('ipmi_power_watts{instance="node05"}');
  });
});

describe('perNodeExpr', () => {
  const template = 'rate(node_cpu_seconds_total{mode!="idle",__NODE__}[5m])';
  const memory = 'node_memory_MemTotal_bytes{__NODE__} - node_memory_MemAvailable_bytes{__NODE__}';

  it('joins node_uname_info for uname, around the whole template', () => {
    expect(perNodeExpr(template, 'node0[12]', { mode: 'uname' })).toBe(
      'sum by (nodename) ((rate(node_cpu_seconds_total{mode!="idle"}[5m])) * on(instance) group_left(nodename) node_uname_info{nodename=~"node0[12]"})'
    );
  });

  it('joins both sides of a subtraction in uname mode (the join binds tighter than "-")', () => {
    expect(perNodeExpr(memory, 'node01', { mode: 'uname' })).toBe(
      'sum by (nodename) ((node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes) * on(instance) group_left(nodename) node_uname_info{nodename=~"node01"})'
    );
  });

  it('takes a placeholder out wherever it stands in a selector', () => {
    const expr = perNodeExpr('a{__NODE__,x="1"} / b{y="2", __NODE__} + c{__NODE__}', 'n', { mode: 'uname' });
    expect(expr).toBe(
      'sum by (nodename) ((a{x="1"} / b{y="2"} + c) * on(instance) group_left(nodename) node_uname_info{nodename=~"n"})'
    );
  });

  it('fills every placeholder for label mode', () => {
    expect(perNodeExpr(memory, 'gpu1|gpu2', { mode: 'label', label: 'host' })).toBe(
      'sum by (host) (node_memory_MemTotal_bytes{host=~"gpu1|gpu2"} - node_memory_MemAvailable_bytes{host=~"gpu1|gpu2"})'
    );
    expect(perNodeExpr('DCGM_FI_DEV_GPU_UTIL{__NODE__}', 'gpu1', { mode: 'label', label: 'Hostname' }, 'avg')).toBe(
      'avg by (Hostname) (DCGM_FI_DEV_GPU_UTIL{Hostname=~"gpu1"})'
    );
  });

  it('fills every placeholder with the instance template for regex mode', () => {
    expect(perNodeExpr(memory, 'n1|n2', { mode: 'regex', regex: '$node:9100' })).toBe(
      'sum by (instance) (node_memory_MemTotal_bytes{instance=~"(n1|n2):9100"} - node_memory_MemAvailable_bytes{instance=~"(n1|n2):9100"})'
    );
  });

  it('leaves no placeholder behind in any mode', () => {
    for (const mapping of [
      { mode: 'uname' as const },
      { mode: 'label' as const, label: 'h' },
      { mode: 'regex' as const },
    ]) {
      expect(perNodeExpr(`${memory} + x{__NODE__,a="b"}`, 'n', mapping)).not.toContain('__NODE__');
    }
  });
});
