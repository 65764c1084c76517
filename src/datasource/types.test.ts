import { NODE_GROUP_BY_KEYS, SCHEDULER_FORMATS, type NodeCountsQuery, type SchedulerQuery } from './types';

// The keys the backend accepts (pkg/query: nodeGroupLabels, the scheduler's formats).
describe('query types', () => {
  it('node_counts groups by node and reason as well as state and partition', () => {
    expect([...NODE_GROUP_BY_KEYS]).toEqual(['state', 'partition', 'node', 'reason']);
    const q: NodeCountsQuery = {
      refId: 'A',
      queryType: 'node_counts',
      states: ['DRAIN'],
      groupBy: ['node', 'state', 'reason'],
    };
    expect(q.groupBy).toContain('reason');
  });

  it('scheduler takes a format (wide by default, or numeric) and a statistics filter', () => {
    expect([...SCHEDULER_FORMATS]).toEqual(['wide', 'numeric']);
    const q: SchedulerQuery = {
      refId: 'A',
      queryType: 'scheduler',
      format: 'numeric',
      statistics: ['schedule_cycle_last_us'],
    };
    expect(q.format).toBe('numeric');
  });
});
