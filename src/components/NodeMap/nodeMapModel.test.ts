import { FieldType, toDataFrame } from '@grafana/data';
import {
  cellSizeFor,
  filterMask,
  groupNodes,
  hitTest,
  layoutGroups,
  MAX_CELL,
  MIN_CELL,
  namePrefix,
  nodeColumns,
  nodeStateColor,
  shareColor,
} from './nodeMapModel';

const frame = toDataFrame({
  fields: [
    { name: 'node', type: FieldType.string, values: ['gpu2', 'node10', 'node2', 'node1'] },
    { name: 'state', type: FieldType.string, values: ['MIXED', 'IDLE,DRAIN', 'ALLOCATED', 'DOWN,NOT_RESPONDING'] },
    { name: 'state_base', type: FieldType.string, values: ['MIXED', 'IDLE', 'ALLOCATED', 'DOWN'] },
    { name: 'reason', type: FieldType.string, values: [null, 'bad fan', null, 'Not responding'] },
    { name: 'partitions', type: FieldType.string, values: ['gpu', 'cpu,long', 'cpu', 'cpu'] },
    { name: 'cpus', type: FieldType.number, values: [8, 8, 8, 8] },
    { name: 'cpus_allocated', type: FieldType.number, values: [4, 0, 8, 0] },
    { name: 'gpus', type: FieldType.number, values: [4, 0, 0, 0] },
    { name: 'gpus_allocated', type: FieldType.number, values: [1, 0, 0, 0] },
  ],
});
const cols = nodeColumns(frame);

describe('node map model', () => {
  it('groups by first partition and sorts names numerically', () => {
    const groups = groupNodes(cols, 'partition');
    expect(groups.map((g) => [g.name, [...g.nodes].map((i) => cols.names[i])])).toEqual([
      ['cpu', ['node1', 'node2', 'node10']],
      ['gpu', ['gpu2']],
    ]);
  });

  it('groups by name prefix', () => {
    expect(namePrefix('rack12n004')).toBe('rack12n');
    expect(groupNodes(cols, 'prefix').map((g) => g.name)).toEqual(['gpu', 'node']);
  });

  it('finds the node under the pointer by arithmetic, and nothing in gaps and headers', () => {
    const groups = groupNodes(cols, 'partition');
    const layout = layoutGroups(groups, 28); // two columns of 12 px cells with 2 px gaps
    expect(layout.cols).toBe(2);
    expect(cols.names[hitTest(groups, layout, 1, 21)]).toBe('node1');
    expect(cols.names[hitTest(groups, layout, 15, 21)]).toBe('node2');
    expect(cols.names[hitTest(groups, layout, 1, 35)]).toBe('node10');
    expect(hitTest(groups, layout, 13, 21)).toBe(-1); // gap
    expect(hitTest(groups, layout, 1, 5)).toBe(-1); // header
    expect(hitTest(groups, layout, 15, 35)).toBe(-1); // past the last node of the group
    expect(cols.names[hitTest(groups, layout, 1, layout.groupTops[1] + 21)]).toBe('gpu2');
  });

  it('sizes cells to the node count: a small cluster fills the map, 10,000 nodes keep the smallest cells', () => {
    expect(cellSizeFor(6, 1000)).toBe(MAX_CELL);
    expect(cellSizeFor(10_000, 1400)).toBe(MIN_CELL);
    const mid = cellSizeFor(400, 1400);
    expect(mid).toBeGreaterThan(MIN_CELL);
    expect(mid).toBeLessThan(MAX_CELL);
    // Six nodes in two partitions: two rows of large cells, no empty panel below them.
    const groups = groupNodes(cols, 'partition');
    const layout = layoutGroups(groups, 1000, cellSizeFor(cols.count, 1000));
    expect(layout.height).toBe(2 * (20 + MAX_CELL + 2 + 2));
    // At every size the layout holds every node and the pointer still finds them.
    expect(cols.names[hitTest(groups, layout, 5, 25)]).toBe('node1');
  });

  it('computes allocated shares and colours drain and down over the base state', () => {
    expect([...cols.cpuShare]).toEqual([0.5, 0, 1, 0]);
    expect(nodeStateColor(cols, 1)).toBe(nodeStateColor({ ...cols, state: ['DRAIN'] }, 0));
    expect(nodeStateColor(cols, 3)).not.toBe(nodeStateColor(cols, 2));
    expect(shareColor(0)).toBe('hsl(120, 70%, 45%)');
    expect(shareColor(1)).toBe('hsl(0, 70%, 45%)');
    expect(shareColor(NaN)).toBe('#555');
  });

  it('filters by name, state or reason', () => {
    expect(filterMask(cols, '')).toBeNull();
    expect([...filterMask(cols, 'drain')!]).toEqual([0, 1, 0, 0]);
    expect([...filterMask(cols, 'FAN')!]).toEqual([0, 1, 0, 0]);
    expect([...filterMask(cols, 'node1')!]).toEqual([0, 1, 0, 1]);
  });
});
