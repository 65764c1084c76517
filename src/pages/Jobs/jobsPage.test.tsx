import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { config } from '@grafana/runtime';
import { sceneGraph } from '@grafana/scenes';
import { installGrafana, type Recorded } from '../../testing/grafanaServices';
import { locationService, renderApp } from '../../testing/renderApp';
import { goldenFrames, jobsFrame, rowsWhere } from '../../testing/slurmFixtures';
import { answeredPanel, tableColumns } from '../../testing/sceneInspection';

const jobs = jobsFrame();
const users = [...new Set(jobs.fields.find((f) => f.name === 'user')!.values as string[])];

/** The server answers the jobs query by its user filter, as the backend would. */
function serve(): Recorded {
  return installGrafana({
    slurm: (q) => {
      if (q.queryType === 'pending') {
        return q.format === 'counts' ? goldenFrames('pending_counts_category') : goldenFrames('pending');
      }
      if (q.queryType !== 'jobs') {
        return [];
      }
      const wanted = String(q.users ?? '')
        .split(',')
        .filter((u) => u && u !== '*');
      return [wanted.length ? rowsWhere(jobs, 'user', wanted) : jobs];
    },
    get: (url) => {
      if (url.endsWith('variables/users')) {
        return users.map((u) => ({ text: u, value: u }));
      }
      return url.endsWith('snapshot/status') ? { ageSeconds: 4, stale: false } : [];
    },
  });
}

// "My jobs" reads the Grafana login from config; each test starts from the login it found.
const grafanaLogin = config.bootData.user.login;
afterEach(() => {
  config.bootData.user.login = grafanaLogin;
});

const jobsQueries = (r: Recorded) => r.queries.filter((q) => q.queryType === 'jobs');
const lastJobsQuery = (r: Recorded) => jobsQueries(r)[jobsQueries(r).length - 1];

describe('Jobs page', () => {
  it('sends the filters from the URL to the backend', async () => {
    const recorded = serve();
    renderApp(
      '/a/hpc-slurm-app/jobs?var-state=PENDING&var-state=RUNNING&var-partition=gpu&var-name=^train&var-reason=Resources'
    );
    await waitFor(() =>
      expect(lastJobsQuery(recorded)).toMatchObject({
        states: 'PENDING,RUNNING',
        partitions: 'gpu',
        nameRegex: '^train',
        reasons: 'Resources',
        users: '*',
        sort: { field: 'submit_time', desc: true },
      })
    );
  });

  it('asks why the pending jobs wait, counted by category, with the same filters (no state filter)', async () => {
    const recorded = serve();
    renderApp('/a/hpc-slurm-app/jobs?var-partition=cpu');
    await waitFor(() =>
      expect(recorded.queries.some((q) => q.queryType === 'pending' && q.format === 'counts')).toBe(true)
    );
    const counts = recorded.queries.find((q) => q.queryType === 'pending' && q.format === 'counts')!;
    expect(counts).toMatchObject({ groupBy: ['category'], measure: 'jobs', partitions: 'cpu' });
    expect(counts.states).toBeUndefined();
    expect(await screen.findByRole('heading', { level: 2, name: 'Pending jobs by why they wait' })).toBeInTheDocument();
  });

  it('adds each pending job’s explanation to the jobs table', async () => {
    const recorded = serve();
    renderApp('/a/hpc-slurm-app/jobs?var-user=carol');
    await waitFor(() =>
      expect(recorded.queries.some((q) => q.queryType === 'pending' && q.format === undefined)).toBe(true)
    );
    expect(recorded.queries.find((q) => q.queryType === 'pending' && q.format === undefined)).toMatchObject({
      refId: 'B',
      users: 'carol',
    });
    const [frame] = sceneGraph.getData(await answeredPanel('Jobs')).state.data!.series;
    const why = frame.fields.find((f) => f.name === 'why_pending')!;
    const ids = frame.fields.find((f) => f.name === 'job_id')!.values;
    // carol's train_wait (5013) waits for two GPUs in the 26.05.3 recording.
    expect(why.values[ids.indexOf('5013')]).toMatch(/^Waits for 1 node × 1 CPU, 2 GPUs/);
  });

  it('"My jobs" filters on the Grafana login and keeps it in the URL', async () => {
    config.bootData.user.login = users[0];
    const recorded = serve();
    renderApp('/a/hpc-slurm-app/jobs');
    const toggle = await screen.findByRole('switch', { name: /My jobs/ });
    await userEvent.click(toggle);
    await waitFor(() => expect(locationService.getSearchObject()['var-user']).toBe(users[0]));
    await waitFor(() => expect(lastJobsQuery(recorded).users).toBe(users[0]));
    expect(toggle).toBeChecked();

    // Off again: no user filter.
    await userEvent.click(toggle);
    await waitFor(() => expect(lastJobsQuery(recorded).users).toBe('*'));
    expect(toggle).not.toBeChecked();
  });

  it('shows operators’ columns with their names and one link per job id, to the job page on its cluster', async () => {
    serve();
    renderApp('/a/hpc-slurm-app/jobs');
    expect(await screen.findByRole('heading', { level: 2, name: 'Jobs' })).toBeInTheDocument();
    // The table's own data (the backend's golden jobs frame as the page received it) under the page's table
    // settings, read with Grafana's own matchers.
    const columns = tableColumns(await answeredPanel('Jobs'));
    expect(columns.filter((c) => !c.hidden).map((c) => c.title)).toEqual([
      'Job',
      'Name',
      'User',
      'Account',
      'Partition',
      'QOS',
      'State',
      'Reason',
      'Submitted',
      'Started',
      'End',
      'Time limit',
      'Node list',
      'Nodes',
      'CPUs',
      'Memory',
      'GPUs allocated',
      'Priority',
      'Why it waits',
    ]);
    // Grafana 12.4 shows the panel's links beside the backend's: a second one would open a menu.
    const job = columns.find((c) => c.name === 'job_id')!;
    expect(job.links).toHaveLength(1);
    expect(job.links[0].url).toMatch(/^\/a\/hpc-slurm-app\/jobs\/\$\{__value\.raw\}\?var-cluster=[\w-]+$/);
    expect(columns.filter((c) => c.links.length > 0).map((c) => c.name)).toEqual(['job_id']);
    expect(columns.find((c) => c.name === 'memory_mb')).toMatchObject({ title: 'Memory', unit: 'decmbytes' });
  });
});
