import React from 'react';
import { InlineFieldRow } from '@grafana/ui';
import type { DataSource } from '../../datasource';
import type { JobFilters } from '../../types';
import { FilterField } from './FilterField';
import { JobIdsField } from './JobIdsField';
import { NameRegexField } from './NameRegexField';

interface Props<Q extends JobFilters & { refId: string }> {
  datasource: DataSource;
  query: Q;
  onChange: (query: Q) => void;
  onEdit: (query: Q) => void;
  /** false for `pending`, which explains PENDING jobs only. */
  withStates?: boolean;
}

/** The filters `jobs`, `job_counts` and `pending` share. */
export function JobFiltersFields<Q extends JobFilters & { refId: string }>({
  datasource,
  query,
  onChange,
  onEdit,
  withStates = true,
}: Props<Q>) {
  const id = (name: string) => `slurm-${name}-${query.refId}`;
  const list = (key: keyof Omit<JobFilters, 'nameRegex'>) => (values: string[]) =>
    onChange({ ...query, [key]: values });
  return (
    <>
      <InlineFieldRow>
        {withStates && (
          <FilterField
            id={id('job-states')}
            datasource={datasource}
            label="States"
            kind="states"
            params={{ of: 'jobs' }}
            values={query.states}
            onChange={list('states')}
            tooltip="Base state or flag, e.g. RUNNING, PENDING, COMPLETING"
          />
        )}
        <FilterField
          id={id('job-partitions')}
          datasource={datasource}
          label="Partitions"
          kind="partitions"
          values={query.partitions}
          onChange={list('partitions')}
        />
        <FilterField
          id={id('job-users')}
          datasource={datasource}
          label="Users"
          kind="users"
          values={query.users}
          onChange={list('users')}
        />
      </InlineFieldRow>
      <InlineFieldRow>
        <FilterField
          id={id('job-accounts')}
          datasource={datasource}
          label="Accounts"
          kind="accounts"
          values={query.accounts}
          onChange={list('accounts')}
        />
        <FilterField
          id={id('job-qos')}
          datasource={datasource}
          label="QOS"
          kind="qos"
          values={query.qos}
          onChange={list('qos')}
        />
        <FilterField
          id={id('job-nodes')}
          datasource={datasource}
          label="Nodes"
          kind="nodes"
          values={query.nodes}
          onChange={list('nodes')}
          tooltip="Jobs allocated any of these nodes"
        />
        <FilterField
          id={id('job-reasons')}
          datasource={datasource}
          label="Reasons"
          kind="reasons"
          values={query.reasons}
          onChange={list('reasons')}
          tooltip="Why a job waits: Resources, Priority, Dependency, …"
        />
      </InlineFieldRow>
      <InlineFieldRow>
        <JobIdsField jobIds={query.jobIds} onChange={list('jobIds')} />
        <NameRegexField
          id={id('job-name-regex')}
          what="job"
          value={query.nameRegex}
          onEdit={(nameRegex) => onEdit({ ...query, nameRegex })}
          onDone={() => onChange(query)}
        />
      </InlineFieldRow>
    </>
  );
}
