import React from 'react';
import { InlineField, InlineFieldRow, RadioButtonGroup } from '@grafana/ui';
import type { UsageFormat, UsageGroupBy, UsageQuery, UsageTres } from '../../types';
import { AccountingFiltersFields } from './AccountingFiltersFields';
import type { TypedEditorProps } from './editorProps';

const TRES_OPTIONS: Array<{ label: string; value: UsageTres }> = [
  { label: 'CPU-hours', value: 'cpu' },
  { label: 'GPU-hours', value: 'gpu' },
  { label: 'Memory (GB-hours)', value: 'mem' },
];
const GROUP_BY_OPTIONS: Array<{ label: string; value: UsageGroupBy }> = [
  { label: 'Account', value: 'account' },
  { label: 'User', value: 'user' },
  { label: 'Partition', value: 'partition' },
];
const FORMAT_OPTIONS: Array<{ label: string; value: UsageFormat; description: string }> = [
  { label: 'Table', value: 'table', description: 'One row per group over the whole range' },
  { label: 'Series', value: 'series', description: 'One series per group, per time bucket' },
];

/** `usage`: metering from accounting over the dashboard range. */
export function UsageEditor({ datasource, query, onChange }: TypedEditorProps<UsageQuery>) {
  return (
    <>
      <InlineFieldRow>
        <InlineField label="Resource" labelWidth={14}>
          <RadioButtonGroup<UsageTres>
            options={TRES_OPTIONS}
            value={query.tres ?? 'cpu'}
            onChange={(tres) => onChange({ ...query, tres })}
          />
        </InlineField>
        <InlineField label="By">
          <RadioButtonGroup<UsageGroupBy>
            options={GROUP_BY_OPTIONS}
            value={query.groupBy ?? 'account'}
            onChange={(groupBy) => onChange({ ...query, groupBy })}
          />
        </InlineField>
        <InlineField label="Format">
          <RadioButtonGroup<UsageFormat>
            options={FORMAT_OPTIONS}
            value={query.format ?? 'table'}
            onChange={(format) => onChange({ ...query, format })}
          />
        </InlineField>
      </InlineFieldRow>
      <AccountingFiltersFields datasource={datasource} query={query} onChange={onChange} />
    </>
  );
}
