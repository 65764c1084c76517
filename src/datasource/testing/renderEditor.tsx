import React, { useState } from 'react';
import { render } from '@testing-library/react';
import type { CoreApp } from '@grafana/data';
import type { DataSource } from '../datasource';
import type { SlurmDataSourceOptions } from '../types';
import { newDataSource } from './slurmBackend';

/** What Grafana hands a query, variable or annotation editor. */
interface EditorProps<Q> {
  datasource: DataSource;
  query: Q;
  onChange: (query: Q) => void;
  onRunQuery: () => void;
  app?: CoreApp;
}

/**
 * Renders an editor holding its query the way Grafana does (a panel, a variable, an annotation): each change
 * becomes the editor's next query. Records every change and run.
 */
export function renderEditor<Q>(
  Editor: React.ComponentType<EditorProps<Q>>,
  initial: Q,
  { jsonData = {}, app }: { jsonData?: SlurmDataSourceOptions; app?: CoreApp } = {}
) {
  const datasource = newDataSource(jsonData);
  const changes: Q[] = [];
  const onRunQuery = jest.fn();
  function Harness() {
    const [query, setQuery] = useState(initial);
    return (
      <Editor
        datasource={datasource}
        query={query}
        onChange={(next) => {
          changes.push(next);
          setQuery(next);
        }}
        onRunQuery={onRunQuery}
        app={app}
      />
    );
  }
  render(<Harness />);
  return { changes, last: () => changes[changes.length - 1], onRunQuery };
}
