import React from 'react';
import { Combobox, InlineField, InlineSwitch } from '@grafana/ui';
import { JOB_SORT_FIELDS, type JobSortField, type JobsQuery } from '../../types';
import { validateSortField } from './validation';

const SORT_OPTIONS = JOB_SORT_FIELDS.map((field) => ({ label: field, value: field }));

interface Props {
  sort: JobsQuery['sort'];
  onChange: (sort: JobsQuery['sort']) => void;
  /** Prefix of the DOM ids of the column and direction inputs. */
  id: string;
}

/** The column a jobs table is sorted by, applied before the limit, and its direction. */
export function SortField({ sort, onChange, id }: Props) {
  const error = validateSortField(sort?.field);
  return (
    <>
      <InlineField
        label="Sort by"
        labelWidth={14}
        tooltip="Applied before the limit; empty keeps slurmctld's order"
        invalid={Boolean(error)}
        error={error}
        htmlFor={`${id}-field`}
      >
        <Combobox<JobSortField>
          id={`${id}-field`}
          width={20}
          options={SORT_OPTIONS}
          value={sort?.field ?? null}
          placeholder="slurmctld order"
          isClearable
          onChange={(option) => onChange(option ? { field: option.value, desc: sort?.desc ?? false } : undefined)}
        />
      </InlineField>
      <InlineField label="Descending" htmlFor={`${id}-desc`} disabled={!sort?.field}>
        <InlineSwitch
          id={`${id}-desc`}
          value={Boolean(sort?.desc)}
          onChange={(e) => sort && onChange({ ...sort, desc: e.currentTarget.checked })}
        />
      </InlineField>
    </>
  );
}
