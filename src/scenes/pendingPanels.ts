import { FieldType, type DataFrame, type Field } from '@grafana/data';
import { SceneDataTransformer, type CustomTransformOperator, type VizPanel } from '@grafana/scenes';
import type { DataSourceRef } from '@grafana/schema';
import { map } from 'rxjs';
import {
  PENDING_CATEGORY_TITLES,
  type PendingCategory,
  type PendingGroupByKey,
  type PendingQuery,
} from '../datasource/types';
import { rowBarGauge, slurmQuery, tableBuilder } from './panels';

/** Field names of the backend's pending frames (pkg/query/pending.go). */
export const PENDING_FIELDS = {
  jobId: 'job_id',
  category: 'category',
  categoryTitle: 'category_title',
  explanation: 'explanation',
  limit: 'limit',
  jobs: 'jobs',
  cpus: 'cpus',
  gpus: 'gpus',
} as const;

/**
 * Counts grouped by category carry the category's code (a label alert rules match on); the page shows its
 * title instead, so a bar reads "Can never start", not "impossible".
 */
export function categoryTitles(): CustomTransformOperator {
  return () => (source) =>
    source.pipe(
      map((frames: DataFrame[]) =>
        frames.map((frame) => ({
          ...frame,
          fields: frame.fields.map((f) =>
            f.name === PENDING_FIELDS.category
              ? { ...f, values: f.values.map((v) => PENDING_CATEGORY_TITLES[v as PendingCategory] ?? v) }
              : f
          ),
        }))
      )
    );
}

/**
 * The jobs table (refId A) with each pending job's explanation from the pending table (refId B) as one more
 * column, matched by job id; other jobs get an empty cell. The pending frame itself is not shown.
 */
export function withExplanations(jobsRefId = 'A', pendingRefId = 'B'): CustomTransformOperator {
  return () => (source) =>
    source.pipe(map((frames: DataFrame[]) => mergeExplanations(frames, jobsRefId, pendingRefId)));
}

export function mergeExplanations(frames: DataFrame[], jobsRefId = 'A', pendingRefId = 'B'): DataFrame[] {
  const pending = frames.find((f) => f.refId === pendingRefId);
  const jobs = frames.filter((f) => f.refId !== pendingRefId);
  if (!pending) {
    return jobs;
  }
  const ids = pending.fields.find((f) => f.name === PENDING_FIELDS.jobId)?.values ?? [];
  const texts = pending.fields.find((f) => f.name === PENDING_FIELDS.explanation)?.values ?? [];
  const byId = new Map<string, string>();
  ids.forEach((id, i) => byId.set(String(id), String(texts[i] ?? '')));
  return jobs.map((frame) => {
    if (frame.refId !== jobsRefId) {
      return frame;
    }
    const jobIds = frame.fields.find((f) => f.name === PENDING_FIELDS.jobId)?.values ?? [];
    const why: Field = {
      name: 'why_pending',
      type: FieldType.string,
      config: { displayName: 'Why it waits' },
      values: jobIds.map((id) => byId.get(String(id)) ?? ''),
    };
    return { ...frame, fields: [...frame.fields, why] };
  });
}

/** The filters a pending panel passes on (the page's job filters without states, and categories). */
export type PendingFilters = Omit<PendingQuery, 'refId' | 'queryType' | 'format' | 'groupBy' | 'measure' | 'jobId'>;

/** Drops the rows of pending counts grouped by limit whose jobs no limit holds ("(none)"). */
export function onlyLimits(): CustomTransformOperator {
  return () => (source) =>
    source.pipe(
      map((frames: DataFrame[]) =>
        frames.map((frame) => {
          const limit = frame.fields.find((f) => f.name === PENDING_FIELDS.limit);
          if (!limit) {
            return frame;
          }
          const keep = limit.values.flatMap((v, i) => (v === '(none)' ? [] : [i]));
          return {
            ...frame,
            length: keep.length,
            fields: frame.fields.map((f) => ({ ...f, values: keep.map((i) => f.values[i]) })),
          };
        })
      )
    );
}

/** Pending jobs counted by `groupBy` (one bar per group, categories by their titles). */
export function pendingCountsGauge(
  title: string,
  datasource: DataSourceRef,
  filters: PendingFilters,
  groupBy: PendingGroupByKey[]
): VizPanel {
  return rowBarGauge(title)
    .setData(
      new SceneDataTransformer({
        $data: slurmQuery(datasource, { queryType: 'pending', ...filters, format: 'counts', measure: 'jobs', groupBy }),
        transformations: [categoryTitles()],
      })
    )
    .setOption('reduceOptions', { values: true, calcs: [], fields: `/^${PENDING_FIELDS.jobs}$/` })
    .setUnit('none')
    .setNoValue('No pending jobs')
    .build();
}

/** Pending jobs and the CPUs and GPUs they ask for, per group, as a table. */
export function pendingCountsTable(
  title: string,
  datasource: DataSourceRef,
  filters: PendingFilters,
  groupBy: PendingGroupByKey[],
  limitsOnly = false
): VizPanel {
  return tableBuilder(title)
    .setData(
      new SceneDataTransformer({
        $data: slurmQuery(datasource, { queryType: 'pending', ...filters, format: 'counts', groupBy }),
        transformations: limitsOnly ? [categoryTitles(), onlyLimits()] : [categoryTitles()],
      })
    )
    .setNoValue(limitsOnly ? 'No pending job is held by a limit' : 'No pending jobs')
    .build();
}
