import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ActionCapabilities, ActionCapability } from '../../api/operatorActions';
import { installGrafana } from '../../testing/grafanaServices';
import { renderApp } from '../../testing/renderApp';
import { jobsFrame, nodesFrame, rowsWhere } from '../../testing/slurmFixtures';

const jobs = jobsFrame();
const ids = jobs.fields.find((f) => f.name === 'job_id')!.values as string[];

const ok = (family: 'jobs' | 'nodes'): ActionCapability => ({
  family,
  allowed: true,
  minRole: family === 'jobs' ? 'Editor' : 'Admin',
  since: 'v0.0.38',
  needsReason: false,
});
const ADMIN: ActionCapabilities = {
  apiVersion: 'v0.0.45',
  user: { login: 'ops', role: 'Admin' },
  identity: { mode: 'datasource', slurmUser: 'grafana', allowed: true },
  rbac: { checked: false, note: '' },
  audit: { annotations: true },
  maxTargets: 128,
  actions: {
    cancel: ok('jobs'),
    hold: ok('jobs'),
    release: ok('jobs'),
    requeue: ok('jobs'),
    drain: { ...ok('nodes'), needsReason: true },
    resume: ok('nodes'),
  },
};

function serve(results: (body: { action: string; jobs?: string[]; nodes?: string[] }) => unknown) {
  return installGrafana({
    slurm: (q) =>
      q.queryType === 'jobs'
        ? [q.states?.toString().includes('RUNNING') ? rowsWhere(jobs, 'state_base', ['RUNNING']) : jobs]
        : q.queryType === 'nodes'
          ? [nodesFrame()]
          : [],
    get: (url) =>
      url.endsWith('actions/capabilities')
        ? ADMIN
        : url.endsWith('snapshot/status')
          ? { ageSeconds: 4, stale: false }
          : [],
    post: (_url, body) => ({ status: 200, data: results(body as never) }),
  });
}

describe('Bulk actions on the Jobs and Nodes pages', () => {
  it('holds every job the table shows, with the count in the confirmation (not a pending array record)', async () => {
    const recorded = serve((body) => ({
      action: 'hold',
      slurmUser: 'grafana',
      results: body.jobs!.map((target) => ({ target, result: 'done' })),
      audit: { annotations: true },
    }));
    renderApp('/a/hpc-slurm-app/jobs');
    const bulk = await screen.findByRole('region', { name: 'Act on selected jobs' });
    const actionable = ids.filter((id) => /^\d+(_\d+)?$/.test(id));
    const all = await within(bulk).findByRole('button', { name: `Select all ${actionable.length} shown` });
    await userEvent.click(all);
    const hold = await within(bulk).findByRole('button', { name: `Hold ${actionable.length}` });
    await waitFor(() => expect(hold).toBeEnabled());
    await userEvent.click(hold);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(`Hold ${actionable.length} jobs?`)).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: `Hold ${actionable.length} jobs` }));
    expect(await screen.findByText(`Held ${actionable.length} jobs as Slurm user grafana.`)).toBeInTheDocument();
    expect(recorded.posts[0]).toEqual({
      url: '/api/datasources/uid/slurm/resources/actions/jobs/bulk',
      body: { action: 'hold', jobs: actionable },
    });
  });

  it('drains the nodes the node map’s filter shows, with the reason', async () => {
    const recorded = serve((body) => ({
      action: 'drain',
      slurmUser: 'grafana',
      results: body.nodes!.map((target) => ({ target, result: 'done' })),
      audit: { annotations: true },
    }));
    // The map's filter matches names, states and reasons: MIXED is node01, node05 and node06 in the recording.
    renderApp('/a/hpc-slurm-app/nodes?nodeFilter=mixed');
    const bulk = await screen.findByRole('region', { name: 'Act on selected nodes' });
    await userEvent.click(await within(bulk).findByRole('button', { name: 'Select all 3 shown' }));
    await waitFor(() => expect(within(bulk).getByRole('button', { name: 'Drain 3' })).toBeEnabled());
    await userEvent.click(within(bulk).getByRole('button', { name: 'Drain 3' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Drain 3 nodes?')).toBeInTheDocument();
    await userEvent.type(within(dialog).getByRole('textbox'), 'GPU firmware update');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Drain 3 nodes' }));
    expect(await screen.findByText('Drained 3 nodes as Slurm user grafana.')).toBeInTheDocument();
    expect(recorded.posts[0]).toEqual({
      url: '/api/datasources/uid/slurm/resources/actions/nodes/bulk',
      body: { action: 'drain', nodes: ['node01', 'node05', 'node06'], reason: 'GPU firmware update' },
    });
  });
});
