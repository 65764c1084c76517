import React, { useEffect, useRef } from 'react';
import { CoreApp, type QueryEditorProps } from '@grafana/data';
import { Combobox, type ComboboxOption, InlineField, Stack } from '@grafana/ui';
import type { DataSource } from '../../datasource';
import {
  QUERY_DEFAULTS,
  type QueryType,
  type SlurmDataSourceOptions,
  type SlurmQuery,
  type SlurmTypedQuery,
} from '../../types';
import { CapabilityNote } from './CapabilityNote';
import { QUERY_FIELDS, type FieldRows as Rows } from './editorFields';
import { FieldRows } from './FieldRows';
import { PendingEditor } from './PendingEditor';
import { validateQuery } from './validation';

type Props = QueryEditorProps<DataSource, SlurmQuery, SlurmDataSourceOptions>;
type PanelQueryType = Exclude<QueryType, 'annotations'>;

/** Query types a panel or alert rule can ask for (annotations have their own editor). */
export const QUERY_TYPE_OPTIONS: Array<ComboboxOption<PanelQueryType>> = [
  { label: 'Jobs', value: 'jobs', description: 'One row per job in the queue (squeue)' },
  { label: 'Job counts', value: 'job_counts', description: 'Jobs counted by state, partition, user…; for alerts' },
  { label: 'Nodes', value: 'nodes', description: 'One row per node with state and allocation' },
  { label: 'Node counts', value: 'node_counts', description: 'Nodes counted by state and partition; for alerts' },
  { label: 'Partitions', value: 'partitions', description: 'One row per partition with totals' },
  { label: 'Reservations', value: 'reservations', description: 'One row per reservation' },
  { label: 'Scheduler', value: 'scheduler', description: 'slurmctld diagnostics as numbers' },
  { label: 'Fairshare', value: 'shares', description: 'Fairshare per account and user (sshare)' },
  { label: 'Job history', value: 'job_history', description: 'Finished jobs in the time range, with efficiency' },
  { label: 'History series', value: 'history_series', description: 'Submitted/started/finished, wait percentiles' },
  { label: 'Usage', value: 'usage', description: 'CPU-, GPU- and memory-hours by account, user, partition' },
  { label: 'Why pending', value: 'pending', description: 'Why pending jobs do not start, per job or counted' },
];

export function QueryEditor({ datasource, query, onChange, onRunQuery, app }: Props) {
  const change = (next: SlurmTypedQuery) => {
    onChange(next);
    if (!validateQuery(next, datasource.maxRows)) {
      onRunQuery();
    }
  };
  // A query that arrives without a type (Explore opened on a URL whose query names none, a panel's first query)
  // starts as the data source's default for where it is edited, and runs: something useful shows at once
  // instead of "No data" under an empty type picker.
  const defaulted = useRef(false);
  useEffect(() => {
    if (!query.queryType && !defaulted.current) {
      defaulted.current = true;
      const start = { ...query, ...datasource.getDefaultQuery(app ?? CoreApp.Unknown) } as SlurmTypedQuery;
      onChange(start);
      onRunQuery();
    }
  }, [query, datasource, app, onChange, onRunQuery]);
  const onQueryTypeChange = (option: ComboboxOption<PanelQueryType>) =>
    change({ ...QUERY_DEFAULTS[option.value], refId: query.refId, datasource: query.datasource } as SlurmTypedQuery);

  return (
    <Stack direction="column" gap={0}>
      <InlineField
        label="Query type"
        labelWidth={14}
        tooltip="What the data source returns"
        htmlFor={`slurm-query-type-${query.refId}`}
      >
        <Combobox<PanelQueryType>
          id={`slurm-query-type-${query.refId}`}
          width={30}
          options={QUERY_TYPE_OPTIONS}
          value={query.queryType === 'annotations' ? null : (query.queryType ?? null)}
          placeholder="Choose a query type"
          onChange={onQueryTypeChange}
        />
      </InlineField>
      <CapabilityNote datasource={datasource} queryType={query.queryType} />
      <TypedEditor datasource={datasource} query={query} onChange={change} onEdit={onChange} />
    </Stack>
  );
}

interface TypedEditorSwitchProps {
  datasource: DataSource;
  query: SlurmQuery;
  onChange: (query: SlurmTypedQuery) => void;
  onEdit: (query: SlurmTypedQuery) => void;
}

/** The fields of the query's type, from its table (editorFields.ts); `pending` has its own editor. */
function TypedEditor({ query, ...props }: TypedEditorSwitchProps) {
  if (!query.queryType || query.queryType === 'annotations') {
    return null;
  }
  if (query.queryType === 'pending') {
    return <PendingEditor query={query} {...props} />;
  }
  const rows = QUERY_FIELDS[query.queryType] as Rows<typeof query>;
  return <FieldRows rows={rows} query={query} {...props} />;
}
