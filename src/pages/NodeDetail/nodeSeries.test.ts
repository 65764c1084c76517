import { nodeMetricQuery } from './nodeSeries';

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
