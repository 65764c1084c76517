import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DataFrame } from '@grafana/data';
import type { ActionCapabilities, ActionCapability } from '../../api/operatorActions';
import { installGrafana } from '../../testing/grafanaServices';
import { renderApp } from '../../testing/renderApp';
import { jobsFrame, rowsWhere } from '../../testing/slurmFixtures';

const jobs = jobsFrame();
const ids = jobs.fields.find((f) => f.name === 'job_id')!.values as string[];
const column = (name: string) => jobs.fields.find((f) => f.name === name)!.values;
const idWhere = (field: string, v: string) => ids[column(field).indexOf(v)];

const can = (family: 'jobs' | 'nodes', allowed = true, reason?: string): ActionCapability => ({
  family,
  allowed,
  reason,
  code: allowed ? undefined : 'role',
  minRole: family === 'jobs' ? 'Editor' : 'Admin',
  since: 'v0.0.38',
  needsReason: false,
});

/** An Editor acting as their own Slurm user on a 26.05 cluster (requeue exists on v0.0.45). */
const EDITOR: ActionCapabilities = {
  apiVersion: 'v0.0.45',
  user: { login: 'alice', role: 'Editor' },
  identity: { mode: 'grafanaUser', slurmUser: 'alice', allowed: true },
  rbac: { checked: true, note: '' },
  audit: { annotations: true },
  maxTargets: 128,
  actions: {
    cancel: can('jobs'),
    hold: can('jobs'),
    release: can('jobs'),
    requeue: can('jobs'),
    drain: can('nodes', false, 'node actions need the Grafana role Admin or higher; alice has Editor'),
    resume: can('nodes', false, 'node actions need the Grafana role Admin or higher; alice has Editor'),
  },
};

/** The test's Grafana: the queue's row of the page's job, the capabilities, and the action answers. */
function serve(frame: DataFrame = jobs, onPost?: (url: string) => { status: number; data: unknown }) {
  return installGrafana(
    {
      slurm: (q, uid) => {
        if (uid === 'prometheus' || q.queryType !== 'jobs') {
          return [];
        }
        const want = (q.jobIds as string[] | undefined) ?? [];
        return [
          rowsWhere(
            frame,
            'job_id',
            ids.filter((id) => want.some((w) => id === w || id.startsWith(`${w}_`)))
          ),
        ];
      },
      get: (url) =>
        url.endsWith('actions/capabilities')
          ? EDITOR
          : url.endsWith('snapshot/status')
            ? { ageSeconds: 5, stale: false }
            : undefined,
      post: onPost,
    },
    { slurm: 'Slurm' },
    { prometheusUid: 'prometheus' }
  );
}

describe('Job page actions', () => {
  it('cancels a running job after confirmation, says so and reloads the job', async () => {
    const id = idWhere('state_base', 'RUNNING');
    const recorded = serve(jobs, () => ({
      status: 200,
      data: {
        action: 'cancel',
        slurmUser: 'alice',
        results: [{ target: id, result: 'done' }],
        audit: { annotations: true },
      },
    }));
    renderApp(`/a/hpc-slurm-app/jobs/${id}`);
    const actions = await screen.findByRole('region', { name: 'Job actions' });
    await waitFor(() => expect(within(actions).getByRole('button', { name: 'Cancel' })).toBeEnabled());
    expect(within(actions).getByRole('button', { name: 'Requeue' })).toBeEnabled();
    const jobQueries = () => recorded.queries.filter((q) => q.queryType === 'jobs').length;
    const before = jobQueries();
    await userEvent.click(within(actions).getByRole('button', { name: 'Cancel' }));
    await userEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: `Cancel job ${id}` }));
    expect(await screen.findByText(`Cancelled job ${id} as Slurm user alice.`)).toBeInTheDocument();
    expect(recorded.posts.map((p) => p.url)).toEqual([
      `/api/datasources/uid/slurm/resources/actions/jobs/${id}/cancel`,
    ]);
    await waitFor(() => expect(jobQueries()).toBeGreaterThan(before));
  });

  it('offers release for a held job and nothing for a pending array record, saying why', async () => {
    const held = idWhere('reason', 'JobHeldUser');
    serve();
    const { unmount } = renderApp(`/a/hpc-slurm-app/jobs/${held}`);
    const actions = await screen.findByRole('region', { name: 'Job actions' });
    await waitFor(() => expect(within(actions).getByRole('button', { name: 'Release' })).toBeEnabled());
    expect(within(actions).queryByRole('button', { name: 'Hold' })).not.toBeInTheDocument();
    unmount();

    const record = ids.find((v) => v.includes('['))!;
    serve();
    renderApp(`/a/hpc-slurm-app/jobs/${encodeURIComponent(record)}`);
    const bar = await screen.findByRole('region', { name: 'Job actions' });
    await waitFor(() => expect(bar).toHaveTextContent(/act on a task by its id \(\d+_5\) or on the whole array/));
    expect(within(bar).queryByRole('button', { name: 'Cancel' })).not.toBeInTheDocument();
  });

  it('shows the job’s own operator actions: the list and the annotations asked by its tags', async () => {
    const id = idWhere('state_base', 'RUNNING');
    const recorded = serve();
    renderApp(`/a/hpc-slurm-app/jobs/${id}`);
    expect(await screen.findByRole('heading', { level: 2, name: `Operator actions on job ${id}` })).toBeInTheDocument();
    await waitFor(() =>
      expect(recorded.gets).toContainEqual(expect.stringMatching(/^\/api\/annotations\?.*tags=slurm-action%2Cjob%3A/))
    );
    const asked = recorded.gets.find((g) => g.startsWith('/api/annotations'))!;
    expect(new URLSearchParams(asked.split('?')[1]).get('tags')).toBe(`slurm-action,job:${id}`);
  });
});
