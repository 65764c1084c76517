import { FieldType, type DataFrame, type Field } from '@grafana/data';
import type { CustomTransformOperator } from '@grafana/scenes';
import { map } from 'rxjs';

/**
 * Page transformations that read the backend's frames by field NAME. Grafana's own transformations
 * (calculateField, sortBy, organize, reduceOptions.fields) match display names, which the backend sets for
 * people to read (pkg/query: "CPUs allocated", "GPU-hours"…); reading names keeps a page working when a
 * title is reworded.
 */

function fieldNamed(frame: DataFrame, name: string): Field | undefined {
  return frame.fields.find((f) => f.name === name);
}

/** The rows `order` lists, in that order, of every field. */
function reorder(frame: DataFrame, fields: Field[], order: number[]): DataFrame {
  return {
    ...frame,
    length: order.length,
    fields: fields.map((f) => ({ ...f, values: order.map((i) => f.values[i]) })),
  };
}

export interface KeepOptions {
  /** Sort the rows by this field (a number field), largest first unless `ascending`. */
  sortBy?: string;
  ascending?: boolean;
  /** Keep at most this many rows (after sorting). */
  limit?: number;
}

/**
 * Only the named fields of each frame, in the given order (one measure per panel: a bar gauge then draws
 * one bar per row of its one number field), optionally sorted and cut.
 */
export function keepFields(names: string[], options: KeepOptions = {}): CustomTransformOperator {
  return () => (source) =>
    source.pipe(
      map((frames) =>
        frames.map((frame) => {
          const fields = names.map((n) => fieldNamed(frame, n)).filter((f): f is Field => Boolean(f));
          let order = Array.from({ length: frame.length }, (_, i) => i);
          const key = options.sortBy ? fieldNamed(frame, options.sortBy) : undefined;
          if (key) {
            const sign = options.ascending ? 1 : -1;
            order.sort((a, b) => sign * (Number(key.values[a] ?? 0) - Number(key.values[b] ?? 0)));
          }
          if (options.limit !== undefined) {
            order = order.slice(0, options.limit);
          }
          return reorder(frame, fields, order);
        })
      )
    );
}

export interface ShareOptions {
  /** The group column (e.g. partition). */
  group: string;
  used: string;
  total: string;
  /** Display name of the share, e.g. "CPUs allocated". */
  title: string;
}

/**
 * used / total per row as a 0..1 share, labelled by the group column: one bar per partition with the
 * partition's name. Rows whose total is 0 or missing (a partition without GPUs) are left out rather than
 * drawn as NaN.
 */
export function shareOf({ group, used, total, title }: ShareOptions): CustomTransformOperator {
  return () => (source) =>
    source.pipe(
      map((frames) =>
        frames.map((frame) => {
          const names = fieldNamed(frame, group)?.values ?? [];
          const u = fieldNamed(frame, used)?.values ?? [];
          const t = fieldNamed(frame, total)?.values ?? [];
          const groups: string[] = [];
          const shares: number[] = [];
          for (let i = 0; i < frame.length; i++) {
            const whole = Number(t[i]);
            if (whole > 0) {
              groups.push(String(names[i]));
              shares.push(Number(u[i] ?? 0) / whole);
            }
          }
          return {
            name: frame.name,
            refId: frame.refId,
            length: groups.length,
            fields: [
              { name: group, type: FieldType.string, config: {}, values: groups },
              {
                name: `${used}_share`,
                type: FieldType.number,
                // displayNameFromDS, not displayName: a bar gauge would put a displayName on every bar instead of
                // the row's partition.
                config: { displayNameFromDS: title, unit: 'percentunit', min: 0, max: 1 },
                values: shares,
              },
            ],
          };
        })
      )
    );
}
