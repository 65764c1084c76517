import React from 'react';
import { InlineFieldRow } from '@grafana/ui';
import { NODE_GROUP_BY_KEYS, type NodeCountsQuery } from '../../types';
import type { TypedEditorProps } from './editorProps';
import { GroupByField } from './GroupByField';
import { NodeFiltersFields } from './NodeFiltersFields';

/** `node_counts`: nodes counted by state and/or partition, one series per group. */
export function NodeCountsEditor({ datasource, query, onChange, onEdit }: TypedEditorProps<NodeCountsQuery>) {
  return (
    <>
      <NodeFiltersFields datasource={datasource} query={query} onChange={onChange} onEdit={onEdit} />
      <InlineFieldRow>
        <GroupByField
          id={`slurm-node-counts-group-by-${query.refId}`}
          keys={NODE_GROUP_BY_KEYS}
          groupBy={query.groupBy}
          onChange={(groupBy) => onChange({ ...query, groupBy })}
        />
      </InlineFieldRow>
    </>
  );
}
