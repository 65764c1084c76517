import React from 'react';
import { Input, InlineField, InlineFieldRow, MultiCombobox, RadioButtonGroup } from '@grafana/ui';
import {
  PENDING_CATEGORIES,
  PENDING_CATEGORY_TITLES,
  PENDING_GROUP_BY_KEYS,
  type PendingCategory,
  type PendingFormat,
  type PendingMeasure,
  type PendingQuery,
} from '../../types';
import type { TypedEditorProps } from './editorProps';
import { GroupByField } from './GroupByField';
import { PENDING_FILTER_ROWS } from './editorFields';
import { FieldRows } from './FieldRows';

const FORMAT_OPTIONS: Array<{ label: string; value: PendingFormat; description: string }> = [
  { label: 'Table', value: 'table', description: 'One row per pending job with its explanation and category' },
  { label: 'Counts', value: 'counts', description: 'Pending jobs, CPUs and GPUs per group; for charts and alerts' },
  { label: 'One job', value: 'facts', description: 'Every fact about one pending job, as rows' },
];

const MEASURE_OPTIONS: Array<{ label: string; value: PendingMeasure | '' }> = [
  { label: 'All', value: '' },
  { label: 'Jobs', value: 'jobs' },
  { label: 'CPUs', value: 'cpus' },
  { label: 'GPUs', value: 'gpus' },
];

/** `pending`: why pending jobs do not start, per job or counted for charts and alert rules. */
export function PendingEditor({ datasource, query, onChange, onEdit }: TypedEditorProps<PendingQuery>) {
  const format = query.format ?? 'table';
  const id = (name: string) => `slurm-pending-${name}-${query.refId}`;
  const jobIdError = format === 'facts' && !query.jobId?.trim() ? 'The id of one pending job, e.g. 123' : undefined;
  return (
    <>
      <InlineFieldRow>
        <InlineField label="Format" labelWidth={14}>
          <RadioButtonGroup<PendingFormat>
            options={FORMAT_OPTIONS}
            value={format}
            onChange={(next) =>
              onChange({
                ...query,
                format: next,
                groupBy: next === 'counts' ? (query.groupBy ?? ['category']) : undefined,
                measure: next === 'counts' ? query.measure : undefined,
              })
            }
          />
        </InlineField>
        {format === 'facts' && (
          <InlineField label="Job id" invalid={Boolean(jobIdError)} error={jobIdError} htmlFor={id('job-id')}>
            <Input
              id={id('job-id')}
              width={16}
              value={query.jobId ?? ''}
              onChange={(e) => onEdit({ ...query, jobId: e.currentTarget.value })}
              onBlur={() => onChange(query)}
            />
          </InlineField>
        )}
      </InlineFieldRow>
      {format !== 'facts' && (
        <>
          <InlineFieldRow>
            <InlineField
              label="Categories"
              labelWidth={14}
              tooltip="Why the job waits; empty means every category"
              htmlFor={id('categories')}
            >
              <MultiCombobox<PendingCategory>
                id={id('categories')}
                width="auto"
                minWidth={20}
                options={PENDING_CATEGORIES.map((c) => ({ label: PENDING_CATEGORY_TITLES[c], value: c }))}
                value={query.categories ?? []}
                onChange={(selected) => onChange({ ...query, categories: selected.map((o) => o.value) })}
              />
            </InlineField>
          </InlineFieldRow>
          <FieldRows
            rows={PENDING_FILTER_ROWS}
            datasource={datasource}
            query={query}
            onChange={onChange}
            onEdit={onEdit}
          />
        </>
      )}
      {format === 'counts' && (
        <InlineFieldRow>
          <GroupByField
            id={id('group-by')}
            keys={PENDING_GROUP_BY_KEYS}
            groupBy={query.groupBy}
            onChange={(groupBy) => onChange({ ...query, groupBy })}
          />
          <InlineField label="Numbers" tooltip="An alert rule needs one number per group: choose Jobs, CPUs or GPUs">
            <RadioButtonGroup<PendingMeasure | ''>
              options={MEASURE_OPTIONS}
              value={query.measure ?? ''}
              onChange={(measure) => onChange({ ...query, measure: measure === '' ? undefined : measure })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
    </>
  );
}
