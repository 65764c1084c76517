import { screen, waitFor } from '@testing-library/react';
import { installGrafana } from '../../testing/grafanaServices';
import { renderApp } from '../../testing/renderApp';
import type { DataFrame } from '@grafana/data';
import { goldenFrames } from '../../testing/slurmFixtures';
import { answeredPanel, displayedValues, panelTitled } from '../../testing/sceneInspection';
import { JOB_STATE_COLORS, NODE_STATE_COLORS } from '../../scenes/stateColors';

const counts = (name: string) => goldenFrames(name);

/** The backend's golden answers for the Overview's Slurm queries. */
function serveGolden() {
  return installGrafana({
    slurm: (q) => {
      switch (q.queryType) {
        case 'node_counts':
          return counts('node_counts');
        case 'job_counts':
          return counts('job_counts_by_state');
        case 'scheduler':
          return goldenFrames('scheduler');
        case 'partitions':
          return goldenFrames('partitions');
        case 'usage':
          // The golden usage tables: CPU-hours by account, GPU-hours by user.
          return q.tres === 'cpu' && q.groupBy === 'account'
            ? goldenFrames('usage_table')
            : q.tres === 'gpu' && q.groupBy === 'user'
              ? goldenFrames('usage_table_gpu')
              : [];
        default:
          return [];
      }
    },
    get: (url) => (url.endsWith('snapshot/status') ? { ageSeconds: 1, stale: false } : []),
  });
}

const values = (frame: DataFrame, name: string) => frame.fields.find((f) => f.name === name)!.values;

describe('Overview page', () => {
  it('counts jobs and nodes per state on the server and shows the top users, scheduler and hardware', async () => {
    const recorded = installGrafana({
      slurm: () => [],
      get: (url) => (url.endsWith('snapshot/status') ? { ageSeconds: 1, stale: false } : []),
    });
    renderApp('/a/hpc-slurm-app/overview');
    expect(await screen.findByRole('heading', { level: 2, name: 'CPU-hours by user' })).toBeInTheDocument();
    for (const title of ['Scheduler', 'Cluster CPU use', 'Cluster memory use', 'Cluster GPU use', 'Hottest sensor']) {
      expect(screen.getByRole('heading', { level: 2, name: title })).toBeInTheDocument();
    }
    await waitFor(() =>
      expect(recorded.queries.map((q) => q.queryType)).toEqual(
        expect.arrayContaining(['job_counts', 'node_counts', 'partitions', 'usage', 'scheduler'])
      )
    );
    expect(recorded.queries.find((q) => q.queryType === 'job_counts')).toMatchObject({ groupBy: ['state'] });
    expect(
      recorded.queries.find((q) => q.queryType === 'usage' && q.tres === 'gpu' && q.groupBy === 'account')
    ).toBeDefined();
  });

  it('names each state bar after its state, in the state’s colour', async () => {
    serveGolden();
    renderApp('/a/hpc-slurm-app/overview');
    await screen.findByRole('heading', { level: 2, name: 'Jobs by state' });
    const [jobCounts] = counts('job_counts_by_state');
    const jobs = displayedValues(await answeredPanel('Jobs by state'));
    expect(jobs.map((b) => b.title)).toEqual(values(jobCounts, 'state'));
    expect(jobs.map((b) => b.value)).toEqual(values(jobCounts, 'jobs'));
    expect(jobs.map((b) => b.color)).toEqual(values(jobCounts, 'state').map((s) => JOB_STATE_COLORS[s as string]));
    const [nodeCounts] = counts('node_counts');
    const nodes = displayedValues(await answeredPanel('Nodes by state'));
    expect(nodes.map((b) => b.title)).toEqual(values(nodeCounts, 'state'));
    expect(nodes.map((b) => b.color)).toEqual(values(nodeCounts, 'state').map((s) => NODE_STATE_COLORS[s as string]));
    // Bars start at 0, so two states with the same count are not drawn empty.
    expect(panelTitled('Nodes by state').state.fieldConfig.defaults.min).toBe(0);
  });

  it('shows one measure per usage panel, largest first, named by user or account', async () => {
    serveGolden();
    renderApp('/a/hpc-slurm-app/overview');
    await screen.findByRole('heading', { level: 2, name: 'GPU-hours by user' });
    const [gpu] = goldenFrames('usage_table_gpu');
    const bars = displayedValues(await answeredPanel('GPU-hours by user'));
    const expected = (values(gpu, 'user') as string[])
      .map((user, i) => ({ title: user, value: values(gpu, 'gpu_hours')[i] as number }))
      .sort((a, b) => b.value - a.value);
    expect(bars.map(({ title, value }) => ({ title, value }))).toEqual(expected);
    const [cpu] = goldenFrames('usage_table');
    expect(
      displayedValues(await answeredPanel('CPU-hours by account'))
        .map((b) => b.title)
        .sort()
    ).toEqual([...(values(cpu, 'account') as string[])].sort());
  });

  it('shows the scheduler’s cycle times, threads and queues, not every sdiag figure', async () => {
    serveGolden();
    renderApp('/a/hpc-slurm-app/overview');
    await screen.findByRole('heading', { level: 2, name: 'Scheduler' });
    const stats = displayedValues(await answeredPanel('Scheduler'));
    expect(stats.map((s) => s.title)).toEqual([
      'Main cycle (last)',
      'Main cycle (mean)',
      'Backfill cycle (last)',
      'Server threads',
      'Agent queue',
      'slurmdbd agent queue',
    ]);
  });

  it('queries the cluster picked in the URL', async () => {
    const recorded = installGrafana(
      { slurm: () => [], get: (url) => (url.endsWith('snapshot/status') ? { ageSeconds: 1, stale: false } : []) },
      { slurm: 'Cluster A', slurm2: 'Cluster B' }
    );
    renderApp('/a/hpc-slurm-app/overview?var-cluster=slurm2', { slurmDatasourceUids: ['slurm', 'slurm2'] });
    expect(await screen.findByText('Cluster B')).toBeInTheDocument();
    const slurmClusters = () => recorded.queries.filter((q) => q.queryType !== undefined).map((q) => q.datasource?.uid);
    await waitFor(() => expect(slurmClusters().length).toBeGreaterThan(0));
    expect(new Set(slurmClusters())).toEqual(new Set(['slurm2']));
    await waitFor(() => expect(recorded.gets).toContain('/api/datasources/uid/slurm2/resources/snapshot/status'));
  });

  it('tells that the data source does not answer, above the panels', async () => {
    installGrafana({ slurm: () => new Error('plugin unavailable'), get: () => new Error('plugin unavailable') });
    renderApp('/a/hpc-slurm-app/overview', { slurmDatasourceUids: ['slurm'] });
    expect(await screen.findByText('The Slurm data source does not answer')).toBeInTheDocument();
    // Without Prometheus the Slurm panels stay and the hardware row explains itself.
    expect(screen.getByRole('heading', { level: 2, name: 'Nodes by state' })).toBeInTheDocument();
    expect(screen.getByText('No Prometheus data source chosen')).toBeInTheDocument();
  });
});
