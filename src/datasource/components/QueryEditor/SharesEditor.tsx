import React from 'react';
import { InlineFieldRow } from '@grafana/ui';
import type { SharesQuery } from '../../types';
import type { TypedEditorProps } from './editorProps';
import { FilterField } from './FilterField';

/** `shares`: fairshare per account and user, like sshare. */
export function SharesEditor({ datasource, query, onChange }: TypedEditorProps<SharesQuery>) {
  return (
    <InlineFieldRow>
      <FilterField
        id={`slurm-shares-users-${query.refId}`}
        datasource={datasource}
        label="Users"
        kind="users"
        values={query.users}
        onChange={(users) => onChange({ ...query, users })}
      />
      <FilterField
        id={`slurm-shares-accounts-${query.refId}`}
        datasource={datasource}
        label="Accounts"
        kind="accounts"
        values={query.accounts}
        onChange={(accounts) => onChange({ ...query, accounts })}
      />
    </InlineFieldRow>
  );
}
