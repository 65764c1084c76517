import React from 'react';
import { InlineFieldRow } from '@grafana/ui';
import type { JobHistoryQuery } from '../../types';
import type { TypedEditorProps } from './editorProps';
import { FilterField } from './FilterField';
import { LimitField } from './LimitField';

/** `job_history`: finished jobs from slurmdbd over the dashboard's time range, with efficiencies. */
export function JobHistoryEditor({ datasource, query, onChange, onEdit }: TypedEditorProps<JobHistoryQuery>) {
  const id = (name: string) => `slurm-history-${name}-${query.refId}`;
  return (
    <>
      <InlineFieldRow>
        <FilterField
          id={id('users')}
          datasource={datasource}
          label="Users"
          kind="users"
          values={query.users}
          onChange={(users) => onChange({ ...query, users })}
        />
        <FilterField
          id={id('accounts')}
          datasource={datasource}
          label="Accounts"
          kind="accounts"
          values={query.accounts}
          onChange={(accounts) => onChange({ ...query, accounts })}
        />
      </InlineFieldRow>
      <InlineFieldRow>
        <FilterField
          id={id('partitions')}
          datasource={datasource}
          label="Partitions"
          kind="partitions"
          values={query.partitions}
          onChange={(partitions) => onChange({ ...query, partitions })}
        />
        <FilterField
          id={id('states')}
          datasource={datasource}
          label="States"
          kind="states"
          params={{ of: 'jobs' }}
          values={query.states}
          onChange={(states) => onChange({ ...query, states })}
          tooltip="Final state, e.g. COMPLETED, FAILED, TIMEOUT, CANCELLED"
        />
        <LimitField
          id={id('limit')}
          limit={query.limit}
          maxRows={datasource.maxRows}
          onChange={(limit) => onEdit({ ...query, limit })}
          onBlur={() => onChange(query)}
        />
      </InlineFieldRow>
    </>
  );
}
