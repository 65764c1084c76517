import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Combobox, type ComboboxOption, InlineField } from '@grafana/ui';
import type { DataSource } from '../../datasource';
import type { QueryType, SlurmDataSourceOptions, SlurmQuery } from '../../types';

type Props = QueryEditorProps<DataSource, SlurmQuery, SlurmDataSourceOptions>;

/** Query types offered so far; filters per type arrive with issue 4. */
export const QUERY_TYPE_OPTIONS: Array<ComboboxOption<QueryType>> = [
  { label: 'Jobs', value: 'jobs', description: 'One row per job in the queue' },
  { label: 'Nodes', value: 'nodes', description: 'One row per node with state and allocation' },
  { label: 'Partitions', value: 'partitions', description: 'One row per partition with totals' },
];

export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const onQueryTypeChange = (option: ComboboxOption<QueryType>) => {
    onChange({ ...query, queryType: option.value });
    onRunQuery();
  };

  return (
    <InlineField label="Query type" labelWidth={14} tooltip="What the data source returns">
      <Combobox<QueryType>
        id={`slurm-query-type-${query.refId}`}
        width={30}
        options={QUERY_TYPE_OPTIONS}
        value={query.queryType ?? null}
        placeholder="Choose a query type"
        onChange={onQueryTypeChange}
      />
    </InlineField>
  );
}
