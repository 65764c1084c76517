import { screen, waitFor, within } from '@testing-library/react';
import type { DataFrame } from '@grafana/data';
import { installGrafana, type SentQuery } from '../../testing/grafanaServices';
import { locationService, renderApp } from '../../testing/renderApp';
import { goldenFrames, jobsFrame, rowsWhere } from '../../testing/slurmFixtures';
import seeded from '../../components/PendingExplanation/seededStack.json';
import { answeredPanel, unresolvedParts, visibleTitles } from '../../testing/sceneInspection';

const jobs = jobsFrame();
const withFinished = jobsFrame('finished');
const [history] = goldenFrames('job_history');
const value = (frame: DataFrame, field: string, row: number) => frame.fields.find((f) => f.name === field)!.values[row];
const firstRow = (frame: DataFrame, field: string, v: string) =>
  frame.fields.find((f) => f.name === field)!.values.indexOf(v);

/**
 * The backend's answers as pkg/query gives them: the queue's rows and the accounting records of the page's job ids
 * (an array's id selects its tasks).
 */
function serveJobs(frame = jobs, accounting: DataFrame = rowsWhere(history, 'job_id', [])) {
  return installGrafana(
    {
      slurm: (q, uid) => {
        if (uid === 'prometheus') {
          return [];
        }
        const ids = (q.jobIds as string[] | undefined) ?? [];
        const ofArray = (f: DataFrame) =>
          rowsWhere(
            f,
            'job_id',
            (f.fields[0].values as string[]).filter((id) =>
              ids.some((want) => id === want || id.startsWith(`${want}_`))
            )
          );
        return q.queryType === 'jobs' ? [ofArray(frame)] : q.queryType === 'job_history' ? [ofArray(accounting)] : [];
      },
      get: (url) =>
        url.endsWith('snapshot/status')
          ? { ageSeconds: 5, stale: false }
          : url.endsWith('/resources/pending/5013')
            ? pendingAnswer
            : undefined,
    },
    { slurm: 'Slurm' },
    { prometheusUid: 'prometheus' }
  );
}

// What the backend's pending/{jobId} route answered for a seeded job of the local stack, under the id of the
// recording's pending train_wait (5013).
const pendingAnswer = { ...seeded.maint_cross, explanation: { ...seeded.maint_cross.explanation, jobId: '5013' } };

const promQueries = (queries: SentQuery[]) => queries.filter((q) => q.datasource?.uid === 'prometheus');

describe('Job detail page', () => {
  it('shows the fields, timeline, allocated nodes and Slurm commands of a recorded running job', async () => {
    const row = firstRow(jobs, 'state_base', 'RUNNING');
    const id = value(jobs, 'job_id', row);
    const recorded = serveJobs();
    renderApp(`/a/hpc-slurm-app/jobs/${id}`);

    const timeline = await screen.findByRole('list', { name: 'Job timeline' });
    expect(within(timeline).getByLabelText('Started')).toHaveTextContent(/UTC/);
    expect(within(timeline).getByLabelText('Ended')).toHaveTextContent(/not yet.*running for.*time limit at/);
    const facts = screen.getByLabelText('Job');
    expect(within(facts).getByText('RUNNING')).toBeInTheDocument();
    expect(within(facts).getByText(String(value(jobs, 'user', row)))).toBeInTheDocument();
    expect(within(facts).getByText(String(value(jobs, 'work_dir', row)))).toBeInTheDocument();
    // Memory and the time limit as people read them; how a job exited only once it has.
    expect(within(facts).getByText('Time limit').nextSibling).toHaveTextContent(/^\d+ (h|min|d)/);
    expect(within(facts).getByText('Memory').nextSibling).toHaveTextContent(/^\d+(\.\d+)? (MB|GB|TB)$/);
    expect(within(facts).queryByText('Exit status')).not.toBeInTheDocument();
    const links = within(screen.getByRole('list', { name: 'Allocated nodes' })).getAllByRole('link');
    expect(links[0]).toHaveAttribute('href', `/a/hpc-slurm-app/nodes/${links[0].textContent}?var-cluster=slurm`);
    expect(recorded.queries.find((q) => q.queryType === 'jobs')).toMatchObject({
      jobIds: [id],
      datasource: { uid: 'slurm' },
    });
    // Operator actions: the commands for a running job, nothing about what the page cannot do.
    const actions = screen.getByRole('region', { name: 'Job actions' });
    expect(actions).toHaveTextContent(`scancel ${id}`);
    expect(actions).toHaveTextContent(`scontrol requeue ${id}`);
    expect(screen.queryByText(/issue|not implemented|coming soon/i)).not.toBeInTheDocument();
    expect(
      await screen.findByRole('heading', { level: 2, name: 'CPU efficiency (live, node-level)' })
    ).toBeInTheDocument();
  });

  it('sends no Prometheus query before Slurm named the job’s nodes, and none with an unresolved part', async () => {
    const row = firstRow(jobs, 'nodes', 'node[03-04]');
    const id = value(jobs, 'job_id', row);
    const recorded = serveJobs();
    renderApp(`/a/hpc-slurm-app/jobs/${id}`);
    await screen.findByRole('heading', { level: 2, name: 'Memory used per node' });
    const sent = () => promQueries(recorded.queries).map((q) => String(q.expr));
    // The job's own nodes and CPU count are written into the expressions (the panels send them one by one).
    await waitFor(() =>
      expect(sent().filter((e) => e.includes('node_memory_MemTotal_bytes'))[0]).toContain('nodename=~"node03|node04"')
    );
    await waitFor(() => expect(sent().some((e) => e.endsWith(`/ ${value(jobs, 'cpus', row)}`))).toBe(true));
    expect(sent().find((e) => e.includes('node_cpu_seconds_total{mode!="idle"}'))).toBeDefined();
    const firstProm = recorded.queries.findIndex((q) => q.datasource?.uid === 'prometheus');
    const firstJobs = recorded.queries.findIndex((q) => q.queryType === 'jobs');
    expect(firstJobs).toBeGreaterThanOrEqual(0);
    expect(firstProm).toBeGreaterThan(firstJobs);
    expect(sent().flatMap((expr) => unresolvedParts(expr).map((p) => `${p} in ${expr}`))).toEqual([]);
  });

  it('sends no Prometheus query for a job that has not started, and says why', async () => {
    const row = firstRow(jobs, 'state_base', 'PENDING');
    const id = value(jobs, 'job_id', row);
    const recorded = serveJobs();
    renderApp(`/a/hpc-slurm-app/jobs/${id}`);
    expect(await screen.findByText('No hardware series yet')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Job actions' })).toHaveTextContent(`scancel ${id}`);
    expect(promQueries(recorded.queries)).toEqual([]);
  });

  it('opens the record of an array’s pending tasks, whose id carries brackets', async () => {
    const record = (jobs.fields[0].values as string[]).find((v) => v.includes('['))!;
    expect(record).toMatch(/^\d+_\[[\d,-]+\]$/);
    const recorded = serveJobs();
    renderApp(`/a/hpc-slurm-app/jobs/${encodeURIComponent(record)}`);
    expect(await screen.findByRole('list', { name: 'Job timeline' })).toBeInTheDocument();
    expect(within(screen.getByLabelText('Job')).getByText('PENDING')).toBeInTheDocument();
    // The backend's id filter takes the array's id; the page keeps the record's row.
    expect(recorded.queries.find((q) => q.queryType === 'jobs')).toMatchObject({ jobIds: [record.split('_')[0]] });
    expect(screen.getByRole('region', { name: 'Job actions' })).toHaveTextContent(`scontrol hold ${record}`);
  });

  it('opens an array task, asking the backend for its array by the numeric id the filters take', async () => {
    const task = (jobs.fields[0].values as string[]).find((v) => /^\d+_\d+$/.test(v))!;
    const recorded = serveJobs();
    renderApp(`/a/hpc-slurm-app/jobs/${task}`);
    expect(await screen.findByRole('list', { name: 'Job timeline' })).toBeInTheDocument();
    const array = task.split('_')[0];
    expect(recorded.queries.find((q) => q.queryType === 'jobs')).toMatchObject({ jobIds: [array] });
    expect(recorded.queries.find((q) => q.queryType === 'job_history')).toMatchObject({ jobIds: [array] });
    expect(screen.getByRole('region', { name: 'Job actions' })).toHaveTextContent(`scancel ${task}`);
    // Per-job exporters label the task's series with its own numeric Slurm id, not with 5014_1.
    const own = String(value(jobs, 'slurm_job_id', firstRow(jobs, 'job_id', task)));
    expect(own).not.toBe(array);
    await waitFor(() => expect(promQueries(recorded.queries).map((q) => q.expr)).toContain(`count({jobid="${own}"})`));
    expect(promQueries(recorded.queries).filter((q) => String(q.expr).includes(task))).toEqual([]);
  });

  it('takes the nodes from accounting for a job that left the queue', async () => {
    const row = firstRow(history, 'state', 'COMPLETED');
    const id = String(value(history, 'job_id', row));
    const recorded = serveJobs(rowsWhere(jobs, 'job_id', []), history);
    renderApp(`/a/hpc-slurm-app/jobs/${id}`);
    expect(await screen.findByText(`Job ${id} is not in the queue`)).toBeInTheDocument();
    const sent = () => promQueries(recorded.queries).map((q) => String(q.expr));
    await waitFor(() =>
      expect(sent().some((e) => e.includes(`nodename=~"${value(history, 'nodes', row)}"`))).toBe(true)
    );
    expect(sent().flatMap(unresolvedParts)).toEqual([]);
    // A finished job: the commands are about its record.
    expect(screen.getByRole('region', { name: 'Job actions' })).toHaveTextContent(`sacct -j ${id}`);
  });

  it('shows how the job used its allocation from accounting, without repeating the facts above', async () => {
    serveJobs();
    renderApp('/a/hpc-slurm-app/jobs/5005');
    expect(
      await screen.findByRole('heading', { level: 2, name: 'Accounting record (efficiency)' })
    ).toBeInTheDocument();
    expect(visibleTitles(await answeredPanel('Accounting record (efficiency)'))).toEqual([
      'State',
      'Elapsed',
      'CPU time',
      'Max RSS',
      'CPU efficiency',
      'Memory efficiency',
      'Exit',
    ]);
  });

  it('shows how long a finished job waited and ran, and narrows the time range to the job', async () => {
    const row = firstRow(withFinished, 'state_base', 'COMPLETED');
    const id = value(withFinished, 'job_id', row);
    serveJobs(withFinished);
    renderApp(`/a/hpc-slurm-app/jobs/${id}`);
    const timeline = await screen.findByRole('list', { name: 'Job timeline' });
    expect(within(timeline).getByLabelText('Ended')).toHaveTextContent(/after \d+/);
    expect(screen.getByText('Exit status')).toBeInTheDocument();
    const start = value(withFinished, 'start_time', row) as number;
    await waitFor(() => {
      const raw = String(locationService.getSearchObject().from);
      const from = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
      expect(from).toBeLessThan(start);
      expect(from).toBeGreaterThan(start - 3_600_000);
    });
  });

  it('says so when the job left the queue and accounting does not know it', async () => {
    serveJobs();
    renderApp('/a/hpc-slurm-app/jobs/999999');
    expect(await screen.findByText('Job 999999 is not in the queue')).toBeInTheDocument();
    expect(await screen.findByText('No hardware series')).toBeInTheDocument();
  });

  it('shows the backend error when the query fails', async () => {
    installGrafana({ slurm: () => new Error('slurmrestd unreachable and no snapshot'), get: () => undefined });
    renderApp('/a/hpc-slurm-app/jobs/5005');
    expect(await screen.findByText('Could not load the job')).toBeInTheDocument();
    expect(screen.getByText(/slurmrestd unreachable and no snapshot/)).toBeInTheDocument();
  });

  it('starts a pending job’s page with why it is pending, from the backend’s explanation', async () => {
    const recorded = serveJobs();
    renderApp('/a/hpc-slurm-app/jobs/5013');
    const section = await screen.findByRole('region', { name: 'Why it is pending' });
    expect(within(section).getByText('Blocked by a reservation')).toBeInTheDocument();
    expect(within(section).getByRole('list', { name: 'What would help' })).toHaveTextContent(
      'A time limit of at most 23h 59m ends before reservation maint_window starts.'
    );
    expect(recorded.gets.some((u) => u.endsWith('/api/datasources/uid/slurm/resources/pending/5013'))).toBe(true);
  });

  it('shows no pending section for a running job and does not ask for one', async () => {
    const id = value(jobs, 'job_id', firstRow(jobs, 'state_base', 'RUNNING'));
    const recorded = serveJobs();
    renderApp(`/a/hpc-slurm-app/jobs/${id}`);
    await screen.findByRole('list', { name: 'Job timeline' });
    expect(screen.queryByRole('region', { name: 'Why it is pending' })).not.toBeInTheDocument();
    expect(recorded.gets.some((u) => u.includes('/resources/pending/'))).toBe(false);
  });
});
