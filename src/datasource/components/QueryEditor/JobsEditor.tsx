import React from 'react';
import { Combobox, InlineField, InlineFieldRow, InlineSwitch } from '@grafana/ui';
import { JOB_SORT_FIELDS, type JobSortField, type JobsQuery } from '../../types';
import type { TypedEditorProps } from './editorProps';
import { JobFiltersFields } from './JobFiltersFields';
import { LimitField } from './LimitField';
import { validateSortField } from './validation';

const SORT_OPTIONS = JOB_SORT_FIELDS.map((field) => ({ label: field, value: field }));

/** `jobs`: one row per job or array task, like squeue. */
export function JobsEditor({ datasource, query, onChange, onEdit }: TypedEditorProps<JobsQuery>) {
  const sortError = validateSortField(query.sort?.field);
  return (
    <>
      <JobFiltersFields datasource={datasource} query={query} onChange={onChange} onEdit={onEdit} />
      <InlineFieldRow>
        <InlineField
          label="Sort by"
          labelWidth={14}
          tooltip="Applied before the limit; empty keeps slurmctld's order"
          invalid={Boolean(sortError)}
          error={sortError}
          htmlFor={`slurm-jobs-sort-${query.refId}`}
        >
          <Combobox<JobSortField>
            id={`slurm-jobs-sort-${query.refId}`}
            width={20}
            options={SORT_OPTIONS}
            value={query.sort?.field ?? null}
            placeholder="slurmctld order"
            isClearable
            onChange={(option) =>
              onChange({
                ...query,
                sort: option ? { field: option.value, desc: query.sort?.desc ?? false } : undefined,
              })
            }
          />
        </InlineField>
        <InlineField label="Descending" htmlFor={`slurm-jobs-desc-${query.refId}`} disabled={!query.sort?.field}>
          <InlineSwitch
            id={`slurm-jobs-desc-${query.refId}`}
            value={Boolean(query.sort?.desc)}
            onChange={(e) =>
              query.sort && onChange({ ...query, sort: { ...query.sort, desc: e.currentTarget.checked } })
            }
          />
        </InlineField>
        <LimitField
          id={`slurm-jobs-limit-${query.refId}`}
          limit={query.limit}
          maxRows={datasource.maxRows}
          onChange={(limit) => onEdit({ ...query, limit })}
          onBlur={() => onChange(query)}
        />
      </InlineFieldRow>
    </>
  );
}
