import type { DataSource } from '../../datasource';
import type { SlurmTypedQuery } from '../../types';

/** What each per-type editor gets: its own query type, already narrowed. */
export interface TypedEditorProps<Q extends SlurmTypedQuery> {
  datasource: DataSource;
  query: Q;
  /** Changes the query and runs it when the result is valid. */
  onChange: (query: Q) => void;
  /** Changes the query without running it (while typing). */
  onEdit: (query: Q) => void;
}
