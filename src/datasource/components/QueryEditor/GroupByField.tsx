import React from 'react';
import { InlineField, MultiCombobox } from '@grafana/ui';
import { validateGroupBy } from './validation';

interface Props<K extends string> {
  keys: readonly K[];
  groupBy: K[] | undefined;
  onChange: (groupBy: K[]) => void;
  id: string;
}

/** The label keys of a count query: one series (and one alert instance) per combination. */
export function GroupByField<K extends string>({ keys, groupBy, onChange, id }: Props<K>) {
  const error = validateGroupBy(groupBy, keys);
  return (
    <InlineField
      label="Group by"
      labelWidth={14}
      tooltip="Each key becomes a label of the count; Grafana alerting makes one alert instance per group"
      invalid={Boolean(error)}
      error={error}
      htmlFor={id}
    >
      <MultiCombobox<K>
        id={id}
        width="auto"
        minWidth={20}
        options={keys.map((k) => ({ label: k, value: k }))}
        value={groupBy ?? []}
        onChange={(selected) => onChange(selected.map((o) => o.value))}
      />
    </InlineField>
  );
}
