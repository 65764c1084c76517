import React from 'react';
import type { NodesQuery } from '../../types';
import type { TypedEditorProps } from './editorProps';
import { NodeFiltersFields } from './NodeFiltersFields';

/** `nodes`: one row per node with state, reason and allocation, like sinfo -N. */
export function NodesEditor({ datasource, query, onChange, onEdit }: TypedEditorProps<NodesQuery>) {
  return <NodeFiltersFields datasource={datasource} query={query} onChange={onChange} onEdit={onEdit} />;
}
