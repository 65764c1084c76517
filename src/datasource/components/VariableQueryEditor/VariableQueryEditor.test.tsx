import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { SlurmVariableQuery } from '../../types';
import { installSlurmBackend, newDataSource } from '../../testing/slurmBackend';
import { VariableQueryEditor } from './VariableQueryEditor';

/** Holds the variable's query as Grafana's variable editor does, and records every change. */
function renderEditor(initial: SlurmVariableQuery | undefined) {
  const datasource = newDataSource();
  const changes: SlurmVariableQuery[] = [];
  function Harness() {
    const [query, setQuery] = useState(initial);
    return (
      <VariableQueryEditor
        datasource={datasource}
        query={query as SlurmVariableQuery}
        onChange={(next) => {
          changes.push(next);
          setQuery(next);
        }}
        onRunQuery={() => {}}
      />
    );
  }
  render(<Harness />);
  return { last: () => changes[changes.length - 1] };
}

let backend: ReturnType<typeof installSlurmBackend>;
beforeEach(() => {
  backend = installSlurmBackend({
    'variables/partitions': ['cpu', 'gpu'],
    'variables/states?of=nodes': ['DRAIN', 'IDLE'],
  });
});

describe('VariableQueryEditor', () => {
  it('starts a new variable as a partitions list and switches to users', async () => {
    const { last } = renderEditor(undefined);
    expect(screen.getByLabelText('List')).toHaveValue('Partitions');
    expect(last()).toEqual({ refId: 'SlurmVariable', kind: 'partitions' });
    expect(screen.queryByLabelText('In partition')).not.toBeInTheDocument();

    await userEvent.click(screen.getByLabelText('List'));
    await userEvent.click(await screen.findByRole('option', { name: /Users/ }));
    expect(last()).toEqual({ refId: 'SlurmVariable', kind: 'users' });
  });

  it('narrows nodes to a partition and a state offered by the backend', async () => {
    const { last } = renderEditor({ refId: 'SlurmVariable', kind: 'nodes' });

    await userEvent.click(screen.getByLabelText('In partition'));
    await userEvent.click(await screen.findByRole('option', { name: 'gpu' }));
    expect(last()).toEqual({ refId: 'SlurmVariable', kind: 'nodes', partition: 'gpu' });

    await userEvent.click(screen.getByLabelText('In state'));
    await userEvent.click(await screen.findByRole('option', { name: 'DRAIN' }));
    expect(last()).toEqual({ refId: 'SlurmVariable', kind: 'nodes', partition: 'gpu', state: 'DRAIN' });
    expect(backend.requests).toEqual(expect.arrayContaining(['variables/partitions', 'variables/states?of=nodes']));
  });

  it('accepts a dashboard variable as the partition', async () => {
    const { last } = renderEditor({ refId: 'SlurmVariable', kind: 'nodes' });
    await userEvent.type(screen.getByLabelText('In partition'), '$partition');
    await userEvent.click(await screen.findByRole('option', { name: /\$partition/ }));
    expect(last()).toEqual({ refId: 'SlurmVariable', kind: 'nodes', partition: '$partition' });
  });

  it('drops the node narrowing when the list is no longer nodes', async () => {
    const { last } = renderEditor({ refId: 'SlurmVariable', kind: 'nodes', partition: 'gpu' });
    await userEvent.click(screen.getByLabelText('List'));
    await userEvent.click(await screen.findByRole('option', { name: /Features/ }));
    expect(last()).toEqual({ refId: 'SlurmVariable', kind: 'features' });
  });
});
