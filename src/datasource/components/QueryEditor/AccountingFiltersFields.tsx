import React from 'react';
import { InlineFieldRow } from '@grafana/ui';
import type { DataSource } from '../../datasource';
import type { AccountingFilters } from '../../types';
import { FilterField } from './FilterField';

interface Props<Q extends AccountingFilters & { refId: string }> {
  datasource: DataSource;
  query: Q;
  onChange: (query: Q) => void;
}

/** Users, accounts and partitions: the filters `history_series` and `usage` share. */
export function AccountingFiltersFields<Q extends AccountingFilters & { refId: string }>({
  datasource,
  query,
  onChange,
}: Props<Q>) {
  const id = (name: string) => `slurm-accounting-${name}-${query.refId}`;
  return (
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
      <FilterField
        id={id('partitions')}
        datasource={datasource}
        label="Partitions"
        kind="partitions"
        values={query.partitions}
        onChange={(partitions) => onChange({ ...query, partitions })}
      />
    </InlineFieldRow>
  );
}
