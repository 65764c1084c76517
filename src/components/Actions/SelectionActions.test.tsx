import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { installGrafana } from '../../testing/grafanaServices';
import type { ActionCapabilities } from '../../api/operatorActions';
import { SelectionActions } from './SelectionActions';
import { useActionCapabilities } from './useActionCapabilities';
import { actionableJobIds } from './ActionScenes';
import { FieldType, toDataFrame } from '@grafana/data';

const allowed = (family: 'jobs' | 'nodes') => ({
  family,
  allowed: true,
  minRole: 'Editor',
  since: 'v0.0.38',
  needsReason: false,
});
const CAPS: ActionCapabilities = {
  apiVersion: 'v0.0.45',
  user: { login: 'alice', role: 'Admin' },
  identity: { mode: 'datasource', slurmUser: 'grafana', allowed: true },
  rbac: { checked: false, note: '' },
  audit: { annotations: true },
  maxTargets: 128,
  actions: {
    cancel: allowed('jobs'),
    hold: allowed('jobs'),
    release: allowed('jobs'),
    requeue: allowed('jobs'),
    drain: { ...allowed('nodes'), needsReason: true },
    resume: allowed('nodes'),
  },
};

function Selection({ shown, onDone }: { shown: string[]; onDone?: () => void }) {
  const capabilities = useActionCapabilities('slurm');
  return (
    <SelectionActions
      datasourceUid="slurm"
      actions={['cancel', 'hold', 'release']}
      shown={shown}
      noun="job"
      capabilities={capabilities}
      onDone={onDone}
    />
  );
}

describe('SelectionActions', () => {
  it('acts on every job shown at once, with the count on the button and in the confirmation', async () => {
    const recorded = installGrafana({
      slurm: () => [],
      get: (url) => (url.endsWith('/actions/capabilities') ? CAPS : undefined),
      post: () => ({
        status: 200,
        data: {
          action: 'cancel',
          slurmUser: 'grafana',
          results: [
            { target: '1042', result: 'done' },
            { target: '1043', result: 'done' },
          ],
          audit: { annotations: true },
        },
      }),
    });
    const onDone = jest.fn();
    render(<Selection shown={['1042', '1043']} onDone={onDone} />);
    // Nothing chosen: the buttons say what to do first.
    await waitFor(() => expect(screen.getByRole('button', { name: 'Cancel' })).toBeDisabled());
    await userEvent.click(screen.getByRole('button', { name: 'Select all 2 shown' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Cancel 2' })).toBeEnabled());
    await userEvent.click(screen.getByRole('button', { name: 'Cancel 2' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Cancel 2 jobs?')).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel 2 jobs' }));
    expect(await screen.findByText('Cancelled 2 jobs as Slurm user grafana.')).toBeInTheDocument();
    expect(recorded.posts[0].body).toEqual({ action: 'cancel', jobs: ['1042', '1043'] });
    expect(onDone).toHaveBeenCalled();
    // The choice is cleared after the action.
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeDisabled();
  });

  it('offers only the job ids the routes take', () => {
    const frame = toDataFrame({
      fields: [{ name: 'job_id', type: FieldType.string, values: ['1042', '1014_[3-6]', '1014_1', 'x'] }],
    });
    expect(actionableJobIds(frame)).toEqual(['1042', '1014_1']);
  });
});
