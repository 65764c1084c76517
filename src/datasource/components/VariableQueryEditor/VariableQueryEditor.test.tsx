import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { SlurmVariableQuery } from '../../types';
import { installSlurmBackend } from '../../testing/slurmBackend';
import { renderEditor } from '../../testing/renderEditor';
import { VariableQueryEditor } from './VariableQueryEditor';

/** The variable editor; a new variable has no query yet. */
const renderVariableEditor = (initial: SlurmVariableQuery | undefined) =>
  renderEditor(VariableQueryEditor, initial as SlurmVariableQuery);

let backend: ReturnType<typeof installSlurmBackend>;
beforeEach(() => {
  backend = installSlurmBackend({
    'variables/partitions': ['cpu', 'gpu'],
    'variables/states?of=nodes': ['DRAIN', 'IDLE'],
  });
});

describe('VariableQueryEditor', () => {
  it('starts a new variable as a partitions list and switches to users', async () => {
    const { last } = renderVariableEditor(undefined);
    expect(screen.getByLabelText('List')).toHaveValue('Partitions');
    expect(last()).toEqual({ refId: 'SlurmVariable', kind: 'partitions' });
    expect(screen.queryByLabelText('In partition')).not.toBeInTheDocument();

    await userEvent.click(screen.getByLabelText('List'));
    await userEvent.click(await screen.findByRole('option', { name: /Users/ }));
    expect(last()).toEqual({ refId: 'SlurmVariable', kind: 'users' });
  });

  it('narrows nodes to a partition and a state offered by the backend', async () => {
    const { last } = renderVariableEditor({ refId: 'SlurmVariable', kind: 'nodes' });

    await userEvent.click(screen.getByLabelText('In partition'));
    await userEvent.click(await screen.findByRole('option', { name: 'gpu' }));
    expect(last()).toEqual({ refId: 'SlurmVariable', kind: 'nodes', partition: 'gpu' });

    await userEvent.click(screen.getByLabelText('In state'));
    await userEvent.click(await screen.findByRole('option', { name: 'DRAIN' }));
    expect(last()).toEqual({ refId: 'SlurmVariable', kind: 'nodes', partition: 'gpu', state: 'DRAIN' });
    expect(backend.requests).toEqual(expect.arrayContaining(['variables/partitions', 'variables/states?of=nodes']));
  });

  it('accepts a dashboard variable as the partition', async () => {
    const { last } = renderVariableEditor({ refId: 'SlurmVariable', kind: 'nodes' });
    await userEvent.type(screen.getByLabelText('In partition'), '$partition');
    await userEvent.click(await screen.findByRole('option', { name: /\$partition/ }));
    expect(last()).toEqual({ refId: 'SlurmVariable', kind: 'nodes', partition: '$partition' });
  });

  it('drops the node narrowing when the list is no longer nodes', async () => {
    const { last } = renderVariableEditor({ refId: 'SlurmVariable', kind: 'nodes', partition: 'gpu' });
    await userEvent.click(screen.getByLabelText('List'));
    await userEvent.click(await screen.findByRole('option', { name: /Features/ }));
    expect(last()).toEqual({ refId: 'SlurmVariable', kind: 'features' });
  });
});
