import React from 'react';
import type { PartitionsQuery } from '../../types';
import type { TypedEditorProps } from './editorProps';
import { FilterField } from './FilterField';

/** `partitions`: one row per partition with totals and running/pending jobs. */
export function PartitionsEditor({ datasource, query, onChange }: TypedEditorProps<PartitionsQuery>) {
  return (
    <FilterField
      id={`slurm-partitions-${query.refId}`}
      datasource={datasource}
      label="Partitions"
      kind="partitions"
      values={query.partitions}
      onChange={(partitions) => onChange({ ...query, partitions })}
    />
  );
}
