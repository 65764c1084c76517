import React, { useEffect, useMemo, useRef, useState } from 'react';
import {
  cellSizeFor,
  filterMask,
  groupNodes,
  hitTest,
  layoutGroups,
  NAMED_CELL,
  nodeStateColor,
  shareColor,
  type ColorBy,
  type GroupBy,
  type NodeColumns,
} from './nodeMapModel';

export interface NodeMapCanvasProps {
  cols: NodeColumns;
  groupBy: GroupBy;
  colorBy: ColorBy;
  /** 0..1 per node index when colouring by a Prometheus metric. */
  metric?: Float32Array;
  filter: string;
  width: number;
  /** Jobs running on a node, looked up only for the hovered node. */
  jobsOf?: (node: string) => string[];
  onOpen: (node: string) => void;
}

/** A node name short enough for a cell: the trailing part that tells nodes apart (node0042 → 0042 if long). */
function shortName(name: string): string {
  return name.length <= 7 ? name : name.slice(-6);
}

/**
 * The allocation map: every node is one cell on a single <canvas>. At 10,000 nodes, per-node React
 * elements with listeners cost seconds to mount and re-render; one canvas redraw costs milliseconds.
 * Hovering finds the node by arithmetic on the layout (hitTest), so only the tooltip re-renders.
 */
export function NodeMapCanvas({ cols, groupBy, colorBy, metric, filter, width, jobsOf, onOpen }: NodeMapCanvasProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<{ index: number; x: number; y: number } | null>(null);
  const groups = useMemo(() => groupNodes(cols, groupBy), [cols, groupBy]);
  const layout = useMemo(
    () => layoutGroups(groups, width, cellSizeFor(cols.count, width)),
    [groups, width, cols.count]
  );
  const mask = useMemo(() => filterMask(cols, filter), [cols, filter]);
  const matched = useMemo(() => (mask ? mask.reduce((a, b) => a + b, 0) : cols.count), [mask, cols.count]);

  useEffect(() => {
    const ctx = canvasRef.current?.getContext('2d');
    if (!ctx) {
      return;
    }
    ctx.clearRect(0, 0, width, layout.height);
    const pitch = layout.cell + layout.gap;
    const named = layout.cell >= NAMED_CELL;
    groups.forEach((g, gi) => {
      const top = layout.groupTops[gi];
      ctx.globalAlpha = 1;
      ctx.fillStyle = '#999';
      ctx.font = '12px sans-serif';
      ctx.textAlign = 'left';
      ctx.textBaseline = 'alphabetic';
      ctx.fillText(`${g.name} (${g.nodes.length})`, 0, top + 14);
      ctx.font = '10px sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      for (let k = 0; k < g.nodes.length; k++) {
        const i = g.nodes[k];
        ctx.globalAlpha = mask && !mask[i] ? 0.15 : 1;
        ctx.fillStyle =
          colorBy === 'state'
            ? nodeStateColor(cols, i)
            : shareColor(
                colorBy === 'cpu' ? cols.cpuShare[i] : colorBy === 'gpu' ? cols.gpuShare[i] : (metric?.[i] ?? NaN)
              );
        const x = (k % layout.cols) * pitch;
        const y = top + layout.header + Math.floor(k / layout.cols) * pitch;
        ctx.fillRect(x, y, layout.cell, layout.cell);
        if (named) {
          // Large cells (a small cluster) carry the node's name, shortened to fit.
          ctx.fillStyle = '#fff';
          ctx.fillText(shortName(cols.names[i]), x + layout.cell / 2, y + layout.cell / 2, layout.cell - 4);
          ctx.fillStyle = '#999';
        }
      }
    });
    ctx.globalAlpha = 1;
  }, [cols, groups, layout, mask, colorBy, metric, width]);

  const at = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - box.left;
    const y = e.clientY - box.top;
    return { index: hitTest(groups, layout, x, y), x, y };
  };
  const hovered = hover && hover.index >= 0 ? hover.index : -1;
  const jobs = hovered >= 0 && jobsOf ? jobsOf(cols.names[hovered]) : [];

  return (
    <div style={{ position: 'relative' }}>
      <div aria-live="polite">{mask ? `${matched} of ${cols.count} nodes match` : `${cols.count} nodes`}</div>
      <canvas
        ref={canvasRef}
        role="img"
        aria-label={`Allocation map of ${cols.count} nodes`}
        width={width}
        height={layout.height}
        style={{ cursor: hovered >= 0 ? 'pointer' : 'default' }}
        onMouseMove={(e) => {
          const h = at(e);
          // Re-render only when the hovered node changes, not on every pixel of movement.
          setHover((prev) => (prev?.index === h.index ? prev : h));
        }}
        onMouseLeave={() => setHover(null)}
        onClick={(e) => {
          const { index } = at(e);
          if (index >= 0) {
            onOpen(cols.names[index]);
          }
        }}
      />
      {hovered >= 0 && hover && (
        <div
          role="tooltip"
          style={{
            position: 'absolute',
            left: Math.min(hover.x + 12, Math.max(0, width - 260)),
            top: hover.y + 32,
            background: 'rgba(20,20,20,0.92)',
            color: '#eee',
            padding: 8,
            borderRadius: 4,
            pointerEvents: 'none',
            maxWidth: 260,
            zIndex: 1,
          }}
        >
          <strong>{cols.names[hovered]}</strong>
          <div>{cols.state[hovered] || cols.stateBase[hovered]}</div>
          {cols.reason[hovered] && <div>Reason: {cols.reason[hovered]}</div>}
          <div>
            {jobs.length
              ? `Jobs: ${jobs.slice(0, 10).join(', ')}${jobs.length > 10 ? ` (+${jobs.length - 10})` : ''}`
              : 'No running jobs'}
          </div>
        </div>
      )}
    </div>
  );
}
