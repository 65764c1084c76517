import { formattedValueToString, getValueFormat, type DataFrame } from '@grafana/data';

/** One row of a frame as a plain object keyed by field name (null for missing values). */
export type Row = Record<string, unknown>;

export function frameRow(frame: DataFrame | undefined, index = 0): Row | undefined {
  if (!frame || frame.length <= index) {
    return undefined;
  }
  const row: Row = {};
  for (const field of frame.fields) {
    row[field.name] = field.values[index] ?? null;
  }
  return row;
}

/** Epoch milliseconds of a time value (frames carry ms numbers; null stays null). */
export function timeOf(value: unknown): number | null {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  const n = typeof value === 'number' ? value : Date.parse(String(value));
  return Number.isFinite(n) ? n : null;
}

export function formatTime(value: unknown): string {
  const t = timeOf(value);
  return t === null
    ? '—'
    : new Date(t)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC');
}

/** "2 h 5 min" for durations between timeline points. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) {
    return `${s} s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min ${s % 60} s`;
  }
  const h = Math.floor(s / 3600);
  return h < 48 ? `${h} h ${Math.floor((s % 3600) / 60)} min` : `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** "7.8 GB" for a count of megabytes (Slurm's memory unit), with Grafana's own unit formatting. */
export function formatMegabytes(value: unknown): string {
  if (value === null || value === undefined || value === '' || !Number.isFinite(Number(value))) {
    return '';
  }
  return formattedValueToString(getValueFormat('decmbytes')(Number(value), 1));
}

/** A Slurm time limit in minutes as "12 h 0 min"; "unlimited" and unset ("") stay as they are. */
export function formatMinutes(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /^\d+$/.test(text) ? formatDuration(Number(text) * 60_000) : text;
}
