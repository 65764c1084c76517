import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { SlurmQuery } from '../../types';
import { installSlurmBackend } from '../../testing/slurmBackend';
import { renderEditor } from '../../testing/renderEditor';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';

const renderAnnotationEditor = (initial: SlurmQuery) => renderEditor(AnnotationQueryEditor, initial);

let backend: ReturnType<typeof installSlurmBackend>;
beforeEach(() => {
  backend = installSlurmBackend({
    'variables/users': ['alice', 'bob'],
    'variables/nodes': ['node01', 'node02'],
    'variables/partitions': ['cpu', 'gpu'],
  });
});

describe('AnnotationQueryEditor', () => {
  it('shows job start and end by default, filtered by a user from the backend', async () => {
    const { last } = renderAnnotationEditor({ refId: 'Anno' });
    expect(screen.getByRole('radio', { name: 'Job start and end' })).toBeChecked();

    await userEvent.click(screen.getByLabelText('Users'));
    await userEvent.click(await screen.findByRole('option', { name: 'alice' }));
    expect(last()).toEqual({ refId: 'Anno', queryType: 'annotations', kind: 'jobs', users: ['alice'] });
    expect(backend.requests).toContain('variables/users');
  });

  it('filters jobs by job id', async () => {
    const { last } = renderAnnotationEditor({ refId: 'Anno', queryType: 'annotations', kind: 'jobs' });
    await userEvent.type(screen.getByPlaceholderText('Job id, then Enter'), '4242{enter}');
    expect(last()).toEqual({ refId: 'Anno', queryType: 'annotations', kind: 'jobs', jobIds: ['4242'] });
  });

  it('switches to node reasons, keeping the node filter and dropping what does not apply', async () => {
    const { last } = renderAnnotationEditor({
      refId: 'Anno',
      queryType: 'annotations',
      kind: 'jobs',
      users: ['alice'],
      nodes: ['node02'],
      jobIds: ['1'],
    });
    await userEvent.click(screen.getByRole('radio', { name: 'Node DOWN/DRAIN reasons' }));
    expect(last()).toEqual({ refId: 'Anno', queryType: 'annotations', kind: 'node_reasons', nodes: ['node02'] });
    expect(screen.queryByLabelText('Users')).not.toBeInTheDocument();
    expect(screen.queryByPlaceholderText('Job id, then Enter')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Nodes')).toBeInTheDocument();
  });

  it('offers reservations as regions', async () => {
    const { last } = renderAnnotationEditor({ refId: 'Anno', queryType: 'annotations', kind: 'jobs' });
    await userEvent.click(screen.getByRole('radio', { name: 'Reservations' }));
    expect(last()).toEqual({ refId: 'Anno', queryType: 'annotations', kind: 'reservations' });
  });
});
