import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ActionCapabilities, ActionCapability } from '../../api/operatorActions';
import { installGrafana } from '../../testing/grafanaServices';
import { renderApp } from '../../testing/renderApp';
import { nodesFrame } from '../../testing/slurmFixtures';

const node = (allowed: boolean, reason?: string, code?: string): ActionCapability => ({
  family: 'nodes',
  allowed,
  reason,
  code,
  minRole: 'Admin',
  since: 'v0.0.39',
  needsReason: false,
});
const job: ActionCapability = {
  family: 'jobs',
  allowed: true,
  minRole: 'Editor',
  since: 'v0.0.38',
  needsReason: false,
};

function caps(apiVersion: string, drain: ActionCapability, resume: ActionCapability): ActionCapabilities {
  return {
    apiVersion,
    user: { login: 'root-admin', role: 'Admin' },
    identity: { mode: 'datasource', slurmUser: 'grafana', allowed: true },
    rbac: { checked: false, note: '' },
    audit: { annotations: false, note: 'no Grafana annotation was created' },
    maxTargets: 128,
    actions: { cancel: job, hold: job, release: job, requeue: job, drain: { ...drain, needsReason: true }, resume },
  };
}

function serve(answer: ActionCapabilities, which?: 'nodes' | 'node_after_drain') {
  return installGrafana({
    slurm: (q) => (q.queryType === 'nodes' ? [nodesFrame(which)] : []),
    get: (url) =>
      url.endsWith('actions/capabilities')
        ? answer
        : url.endsWith('snapshot/status')
          ? { ageSeconds: 2, stale: false }
          : undefined,
    post: () => ({
      status: 200,
      data: {
        action: 'drain',
        slurmUser: 'grafana',
        results: [{ target: 'node01', result: 'done' }],
        audit: answer.audit,
      },
    }),
  });
}

describe('Node page actions', () => {
  it('on 22.05 (API v0.0.38) the node buttons are disabled and say the API version', async () => {
    const why =
      'drain is unavailable on API v0.0.38: slurmrestd offers node update (drain, resume) from API v0.0.39 on';
    serve(caps('v0.0.38', node(false, why, 'unsupported'), node(false, why.replace('drain', 'resume'), 'unsupported')));
    renderApp('/a/hpc-slurm-app/nodes/node01');
    const actions = await screen.findByRole('region', { name: 'Node actions' });
    await waitFor(() =>
      expect(within(actions).getByRole('button', { name: 'Drain' })).toHaveAccessibleDescription(why)
    );
    expect(within(actions).getByRole('button', { name: 'Drain' })).toBeDisabled();
  });

  it('offers resume for a drained node', async () => {
    serve(caps('v0.0.45', node(true), node(true)), 'node_after_drain');
    renderApp('/a/hpc-slurm-app/nodes/node04');
    const actions = await screen.findByRole('region', { name: 'Node actions' });
    await waitFor(() => expect(within(actions).getByRole('button', { name: 'Resume' })).toBeEnabled());
    expect(within(actions).queryByRole('button', { name: 'Drain' })).not.toBeInTheDocument();
  });

  it('drains a node with the reason typed into the confirmation', async () => {
    const recorded = serve(caps('v0.0.45', node(true), node(true)));
    renderApp('/a/hpc-slurm-app/nodes/node01');
    const actions = await screen.findByRole('region', { name: 'Node actions' });
    await waitFor(() => expect(within(actions).getByRole('button', { name: 'Drain' })).toBeEnabled());
    await userEvent.click(within(actions).getByRole('button', { name: 'Drain' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByRole('textbox'), 'PSU replacement');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Drain node node01' }));
    expect(await screen.findByText('Drained node node01 as Slurm user grafana.')).toBeInTheDocument();
    expect(screen.getByText('no Grafana annotation was created')).toBeInTheDocument();
    expect(recorded.posts).toEqual([
      { url: '/api/datasources/uid/slurm/resources/actions/nodes/node01/drain', body: { reason: 'PSU replacement' } },
    ]);
  });
});
