import React from 'react';
import { InlineFieldRow } from '@grafana/ui';
import type { DataSource } from '../../datasource';
import type { NodeFilters } from '../../types';
import { FilterField } from './FilterField';
import { NameRegexField } from './NameRegexField';

interface Props<Q extends NodeFilters & { refId: string }> {
  datasource: DataSource;
  query: Q;
  onChange: (query: Q) => void;
  onEdit: (query: Q) => void;
}

/** The filters `nodes` and `node_counts` share. */
export function NodeFiltersFields<Q extends NodeFilters & { refId: string }>({
  datasource,
  query,
  onChange,
  onEdit,
}: Props<Q>) {
  const id = (name: string) => `slurm-${name}-${query.refId}`;
  const list = (key: 'states' | 'partitions' | 'features') => (values: string[]) =>
    onChange({ ...query, [key]: values });
  return (
    <InlineFieldRow>
      <FilterField
        id={id('node-states')}
        datasource={datasource}
        label="States"
        kind="states"
        params={{ of: 'nodes' }}
        values={query.states}
        onChange={list('states')}
        tooltip="Base state or flag, e.g. IDLE, MIXED, DOWN, DRAIN"
      />
      <FilterField
        id={id('node-partitions')}
        datasource={datasource}
        label="Partitions"
        kind="partitions"
        values={query.partitions}
        onChange={list('partitions')}
      />
      <FilterField
        id={id('node-features')}
        datasource={datasource}
        label="Features"
        kind="features"
        values={query.features}
        onChange={list('features')}
      />
      <NameRegexField
        id={id('node-name-regex')}
        what="node"
        value={query.nameRegex}
        onEdit={(nameRegex) => onEdit({ ...query, nameRegex })}
        onDone={() => onChange(query)}
      />
    </InlineFieldRow>
  );
}
