import type { DataFrame } from '@grafana/data';
import { NODE_FIELDS as F } from '../../frames/frameFields';

/** Column arrays of the nodes frame: one entry per node, indexed by node position (no per-node objects). */
export interface NodeColumns {
  count: number;
  names: string[];
  stateBase: string[];
  state: string[];
  reason: Array<string | null>;
  partitions: string[];
  cpuShare: Float32Array;
  gpuShare: Float32Array;
}

function column(frame: DataFrame, name: string): unknown[] {
  return frame.fields.find((f) => f.name === name)?.values ?? [];
}

function share(used: unknown[], total: unknown[], n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = Number(total[i]);
    out[i] = t > 0 ? Number(used[i] ?? 0) / t : NaN;
  }
  return out;
}

/** Reads the backend's nodes frame (fields node, state, state_base, reason, partitions, cpus, …). */
export function nodeColumns(frame: DataFrame | undefined): NodeColumns {
  if (!frame) {
    return nodeColumns({ fields: [], length: 0 });
  }
  const n = frame.length;
  const str = (name: string) => column(frame, name).map((v) => (v === null || v === undefined ? '' : String(v)));
  return {
    count: n,
    names: str(F.node),
    stateBase: str(F.stateBase),
    state: str(F.state),
    reason: column(frame, F.reason).map((v) => (v ? String(v) : null)),
    partitions: str(F.partitions),
    cpuShare: share(column(frame, F.cpusAllocated), column(frame, F.cpus), n),
    gpuShare: share(column(frame, F.gpusAllocated), column(frame, F.gpus), n),
  };
}

export type GroupBy = 'partition' | 'prefix';
export type ColorBy = 'state' | 'cpu' | 'gpu' | 'metric';

export interface NodeGroup {
  name: string;
  /** Node indexes into NodeColumns, in name order. */
  nodes: Int32Array;
}

/** Name prefix: the name without its trailing digits (node0042 → node, gpu-a3 → gpu-a). */
export function namePrefix(name: string): string {
  return name.replace(/\d+$/, '') || name;
}

/**
 * Groups nodes by their first partition or by name prefix. A node in several partitions is shown once,
 * in its first partition, so the map has exactly one cell per node.
 */
export function groupNodes(cols: NodeColumns, by: GroupBy): NodeGroup[] {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < cols.count; i++) {
    const key = by === 'partition' ? cols.partitions[i].split(',')[0] || '(none)' : namePrefix(cols.names[i]);
    let list = groups.get(key);
    if (!list) {
      list = [];
      groups.set(key, list);
    }
    list.push(i);
  }
  const collator = new Intl.Collator(undefined, { numeric: true });
  return [...groups.entries()]
    .sort(([a], [b]) => collator.compare(a, b))
    .map(([name, list]) => ({
      name,
      nodes: Int32Array.from(list.sort((a, b) => collator.compare(cols.names[a], cols.names[b]))),
    }));
}

export interface MapLayout {
  cell: number;
  gap: number;
  cols: number;
  header: number;
  /** y of each group's header; cells start at groupTop + header. */
  groupTops: number[];
  height: number;
}

/** Cells stay between these sizes: small enough for 10,000 nodes, big enough to hover and to read a name. */
export const MIN_CELL = 12;
export const MAX_CELL = 56;
/** A cell at least this big has the node's name written in it. */
export const NAMED_CELL = 40;

/**
 * The cell size that fills about `targetHeight` pixels of a `width`-wide map with `count` nodes: a six-node
 * cluster gets large named cells instead of six specks in an empty panel, 10,000 nodes get the smallest.
 */
export function cellSizeFor(count: number, width: number, gap = 2, targetHeight = 320): number {
  const pitch = Math.sqrt((Math.max(width, 1) * targetHeight) / Math.max(count, 1));
  return Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor(pitch) - gap));
}

export function layoutGroups(groups: NodeGroup[], width: number, cell = 12, gap = 2, header = 20): MapLayout {
  const pitch = cell + gap;
  const cols = Math.max(1, Math.floor((width + gap) / pitch));
  const groupTops: number[] = [];
  let y = 0;
  for (const g of groups) {
    groupTops.push(y);
    y += header + Math.ceil(g.nodes.length / cols) * pitch + gap;
  }
  return { cell, gap, cols, header, groupTops, height: y };
}

/** Which node is under (x, y): binary search over groups, then arithmetic; -1 for none. O(log groups). */
export function hitTest(groups: NodeGroup[], layout: MapLayout, x: number, y: number): number {
  const tops = layout.groupTops;
  let lo = 0;
  let hi = tops.length - 1;
  if (hi < 0 || y < 0 || x < 0) {
    return -1;
  }
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tops[mid] <= y) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  const pitch = layout.cell + layout.gap;
  const dy = y - tops[lo] - layout.header;
  if (dy < 0) {
    return -1;
  }
  const row = Math.floor(dy / pitch);
  const col = Math.floor(x / pitch);
  if (col >= layout.cols || dy - row * pitch >= layout.cell || x - col * pitch >= layout.cell) {
    return -1;
  }
  const k = row * layout.cols + col;
  const nodes = groups[lo].nodes;
  return k < nodes.length ? nodes[k] : -1;
}

const STATE_COLORS: Record<string, string> = {
  IDLE: '#73BF69',
  MIXED: '#5794F2',
  ALLOCATED: '#1F60C4',
  COMPLETING: '#8AB8FF',
  DOWN: '#F2495C',
  DRAIN: '#FF9830',
  DRAINED: '#FF9830',
  DRAINING: '#FADE2A',
  FUTURE: '#8E8E8E',
  UNKNOWN: '#8E8E8E',
  ERROR: '#C4162A',
};

export function stateColor(stateBase: string): string {
  return STATE_COLORS[stateBase.toUpperCase()] ?? '#8E8E8E';
}

/** Colour of a node's cell: drain/down flags win over the base state, because they need action. */
export function nodeStateColor(cols: NodeColumns, i: number): string {
  const full = cols.state[i].toUpperCase();
  if (full.includes('DOWN') || full.includes('NOT_RESPONDING')) {
    return STATE_COLORS.DOWN;
  }
  if (full.includes('DRAIN')) {
    return STATE_COLORS.DRAIN;
  }
  return stateColor(cols.stateBase[i]);
}

/** 101 shades, built once: a redraw of 10k cells then formats no colour strings. */
const SHARE_COLORS = Array.from({ length: 101 }, (_, p) => `hsl(${Math.round(120 - 1.2 * p)}, 70%, 45%)`);

/** Green (0) → yellow → red (1), in 1 % steps; grey for no value. */
export function shareColor(v: number): string {
  if (!Number.isFinite(v)) {
    return '#555';
  }
  return SHARE_COLORS[Math.round(Math.min(1, Math.max(0, v)) * 100)];
}

/**
 * Which nodes match the page's filter: a case-insensitive substring of the name, the state or the
 * reason. Returns null for no filter (everything matches).
 */
export function filterMask(cols: NodeColumns, filter: string): Uint8Array | null {
  const q = filter.trim().toLowerCase();
  if (!q) {
    return null;
  }
  const mask = new Uint8Array(cols.count);
  for (let i = 0; i < cols.count; i++) {
    mask[i] =
      cols.names[i].toLowerCase().includes(q) ||
      cols.state[i].toLowerCase().includes(q) ||
      (cols.reason[i]?.toLowerCase().includes(q) ?? false)
        ? 1
        : 0;
  }
  return mask;
}

/** Values of a Prometheus metric per node index, scaled to 0..1 between the smallest and largest value. */
export function metricShares(
  cols: NodeColumns,
  byName: Map<string, number>
): { shares: Float32Array; min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of byName.values()) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const shares = new Float32Array(cols.count);
  const span = max - min || 1;
  for (let i = 0; i < cols.count; i++) {
    const v = byName.get(cols.names[i]);
    shares[i] = v === undefined ? NaN : (v - min) / span;
  }
  return { shares, min, max };
}
