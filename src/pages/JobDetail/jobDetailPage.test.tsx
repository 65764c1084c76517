import { screen, waitFor, within } from '@testing-library/react';
import type { DataFrame } from '@grafana/data';
import { installGrafana } from '../testing/grafanaServices';
import { locationService, renderApp } from '../testing/renderApp';
import { jobsFrame, rowsWhere } from '../testing/slurmFixtures';

// Prometheus is not reachable in these tests; its runners log that.
jest.spyOn(console, 'error').mockImplementation(() => {});

const jobs = jobsFrame();
const withFinished = jobsFrame('finished');
const value = (frame: DataFrame, field: string, row: number) => frame.fields.find((f) => f.name === field)!.values[row];
const firstRow = (frame: DataFrame, field: string, v: string) =>
  frame.fields.find((f) => f.name === field)!.values.indexOf(v);

function serveJobs(frame = jobs) {
  return installGrafana({
    slurm: (q) =>
      q.queryType === 'jobs' ? [rowsWhere(frame, 'job_id', (q.jobIds as string[] | undefined) ?? [])] : [],
    get: (url) => (url.endsWith('snapshot/status') ? { ageSeconds: 5, stale: false } : undefined),
  });
}

describe('Job detail page', () => {
  it('shows the fields, timeline and allocated nodes of a recorded running job', async () => {
    const row = firstRow(jobs, 'state_base', 'RUNNING');
    const id = value(jobs, 'job_id', row);
    const recorded = serveJobs();
    renderApp(`/a/hpc-slurm-app/jobs/${id}`);

    const timeline = await screen.findByRole('list', { name: 'Job timeline' });
    expect(within(timeline).getByLabelText('Started')).toHaveTextContent(/UTC/);
    expect(within(timeline).getByLabelText('Ended')).toHaveTextContent(/not yet.*running for.*time limit at/);
    expect(screen.getByText('RUNNING')).toBeInTheDocument();
    expect(screen.getByText(String(value(jobs, 'user', row)))).toBeInTheDocument();
    for (const label of ['GPUs requested', 'GPUs allocated', 'Time limit (min)', 'Exit status', 'Working directory']) {
      expect(screen.getByText(label)).toBeInTheDocument();
    }
    expect(screen.getByText(String(value(jobs, 'work_dir', row)))).toBeInTheDocument();
    const links = within(screen.getByRole('list', { name: 'Allocated nodes' })).getAllByRole('link');
    expect(links[0]).toHaveAttribute('href', `/a/hpc-slurm-app/nodes/${links[0].textContent}?var-cluster=slurm`);
    expect(recorded.queries.find((q) => q.queryType === 'jobs')).toMatchObject({
      jobIds: [id],
      datasource: { uid: 'slurm' },
    });
    // The Prometheus panels are pointed at the job's nodes and CPU count.
    await waitFor(() =>
      expect(locationService.getSearchObject()).toMatchObject({
        'var-jobnodes': links.map((l) => l.textContent).join('|'),
        'var-jobcpus': String(value(jobs, 'cpus', row)),
      })
    );
    expect(
      await screen.findByRole('heading', { level: 2, name: 'CPU efficiency (live, node-level)' })
    ).toBeInTheDocument();
    // The actions area is a placeholder until the actions issue.
    expect(screen.getByText(/arrive with the actions issue/)).toBeInTheDocument();
  });

  it('shows how long a finished job waited and ran, and narrows the time range to the job', async () => {
    const row = firstRow(withFinished, 'state_base', 'COMPLETED');
    const id = value(withFinished, 'job_id', row);
    serveJobs(withFinished);
    renderApp(`/a/hpc-slurm-app/jobs/${id}`);
    const timeline = await screen.findByRole('list', { name: 'Job timeline' });
    expect(within(timeline).getByLabelText('Ended')).toHaveTextContent(/after \d+/);
    const start = value(withFinished, 'start_time', row) as number;
    await waitFor(() => {
      const raw = String(locationService.getSearchObject().from);
      const from = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
      expect(from).toBeLessThan(start);
      expect(from).toBeGreaterThan(start - 3_600_000);
    });
  });

  it('says so when the job left the queue', async () => {
    serveJobs();
    renderApp('/a/hpc-slurm-app/jobs/999999');
    expect(await screen.findByText('Job 999999 is not in the queue')).toBeInTheDocument();
  });

  it('shows the backend error when the query fails', async () => {
    installGrafana({ slurm: () => new Error('slurmrestd unreachable and no snapshot'), get: () => undefined });
    renderApp('/a/hpc-slurm-app/jobs/5005');
    expect(await screen.findByText('Could not load the job')).toBeInTheDocument();
    expect(screen.getByText(/slurmrestd unreachable and no snapshot/)).toBeInTheDocument();
  });
});
