import React, { useCallback } from 'react';
import { type ComboboxOption, InlineField, MultiCombobox } from '@grafana/ui';
import type { DataSource } from '../../datasource';
import { asList, type StringList, type VariableKind } from '../../types';

/** The one thing a filter needs from the data source. */
export type VariableOptionsSource = Pick<DataSource, 'getVariableOptions'>;

interface Props {
  datasource: VariableOptionsSource;
  label: string;
  /** Which list the options come from (the backend's `variables/<kind>`). */
  kind: VariableKind;
  values: StringList | undefined;
  onChange: (values: string[]) => void;
  tooltip?: string;
  /** Narrows node options to a partition or state. */
  params?: { partition?: string; state?: string; of?: 'jobs' | 'nodes' };
  id: string;
}

/**
 * A multi-value filter whose options are loaded from the backend's snapshot when the menu opens.
 * Values not in the list (e.g. `$user`, or a user with no job right now) can be typed in.
 */
export function FilterField({ datasource, label, kind, values, onChange, tooltip, params, id }: Props) {
  const partition = params?.partition;
  const state = params?.state;
  const of = params?.of;
  const loadOptions = useCallback(
    async (input: string): Promise<Array<ComboboxOption<string>>> => {
      const options = await datasource.getVariableOptions(kind, { partition, state, of });
      const needle = input.toLowerCase();
      return options
        .filter((o) => o.text.toLowerCase().includes(needle))
        .map((o) => ({ label: o.text, value: o.value }));
    },
    [datasource, kind, partition, state, of]
  );

  return (
    <InlineField label={label} labelWidth={14} tooltip={tooltip} htmlFor={id}>
      <MultiCombobox<string>
        id={id}
        width="auto"
        minWidth={20}
        maxWidth={60}
        options={loadOptions}
        value={asList(values)}
        placeholder="All"
        createCustomValue
        isClearable
        onChange={(selected) => onChange(selected.map((o) => o.value))}
      />
    </InlineField>
  );
}
