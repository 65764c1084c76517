import React, { useEffect, useRef } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Combobox, type ComboboxOption, InlineField, InlineFieldRow, Stack } from '@grafana/ui';
import type { DataSource } from '../../datasource';
import type { SlurmDataSourceOptions, SlurmQuery, SlurmVariableQuery, VariableKind } from '../../types';

type Props = QueryEditorProps<DataSource, SlurmQuery, SlurmDataSourceOptions, SlurmVariableQuery>;

export const VARIABLE_KIND_OPTIONS: Array<ComboboxOption<VariableKind>> = [
  { label: 'Partitions', value: 'partitions' },
  { label: 'Nodes', value: 'nodes', description: 'Optionally only those of a partition or in a state' },
  { label: 'Users', value: 'users', description: 'Users with a job in the queue' },
  { label: 'Accounts', value: 'accounts', description: 'Accounts with a job in the queue' },
  { label: 'QOS', value: 'qos', description: 'QOS of jobs in the queue' },
  { label: 'States', value: 'states', description: 'Job and node states and flags seen now' },
  { label: 'Pending reasons', value: 'reasons', description: 'Why jobs wait: Resources, Priority, …' },
  { label: 'Reservations', value: 'reservations' },
  { label: 'Features', value: 'features', description: 'Node features' },
];

const NEW_VARIABLE_QUERY: SlurmVariableQuery = { refId: 'SlurmVariable', kind: 'partitions' };

/** A template variable listing one kind of Slurm value from the backend's snapshot. */
export function VariableQueryEditor({ datasource, query, onChange }: Props) {
  // A new variable starts with no query (or a legacy string); start it as a partitions list.
  const isNew = !(query && typeof query === 'object' && query.kind);
  const current: SlurmVariableQuery = isNew ? NEW_VARIABLE_QUERY : query;
  // Store the shown default at once, so the variable's preview lists partitions without a click.
  const storedDefault = useRef(false);
  useEffect(() => {
    if (isNew && !storedDefault.current) {
      storedDefault.current = true;
      onChange(NEW_VARIABLE_QUERY);
    }
  }, [isNew, onChange]);
  const emit = (patch: Partial<SlurmVariableQuery>) => {
    const next: SlurmVariableQuery = { ...current, ...patch };
    if (next.kind !== 'nodes') {
      delete next.partition;
      delete next.state;
    }
    onChange(next);
  };

  // Options for the node narrowing; a dashboard variable such as $partition can be typed in.
  const load = (kind: VariableKind, of?: 'nodes') => async (input: string) => {
    const options = await datasource.getVariableOptions(kind, { of });
    return options
      .filter((o) => o.text.toLowerCase().includes(input.toLowerCase()))
      .map((o) => ({ label: o.text, value: o.value }));
  };

  return (
    <Stack direction="column" gap={0}>
      <InlineField label="List" labelWidth={20} htmlFor="slurm-variable-kind" tooltip="Which Slurm values">
        <Combobox<VariableKind>
          id="slurm-variable-kind"
          width={30}
          options={VARIABLE_KIND_OPTIONS}
          value={current.kind}
          onChange={(option) => emit({ kind: option.value })}
        />
      </InlineField>
      {current.kind === 'nodes' && (
        <InlineFieldRow>
          <InlineField
            label="In partition"
            labelWidth={20}
            htmlFor="slurm-variable-partition"
            tooltip="Only nodes of this partition; may be a variable such as $partition"
          >
            <Combobox<string>
              id="slurm-variable-partition"
              width={30}
              options={load('partitions')}
              value={current.partition ?? null}
              placeholder="Any partition"
              createCustomValue
              isClearable
              onChange={(option) => emit({ partition: option?.value || undefined })}
            />
          </InlineField>
          <InlineField
            label="In state"
            htmlFor="slurm-variable-state"
            tooltip="Only nodes in this state or with this flag, e.g. IDLE, DRAIN"
          >
            <Combobox<string>
              id="slurm-variable-state"
              width={30}
              options={load('states', 'nodes')}
              value={current.state ?? null}
              placeholder="Any state"
              createCustomValue
              isClearable
              onChange={(option) => emit({ state: option?.value || undefined })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
    </Stack>
  );
}
