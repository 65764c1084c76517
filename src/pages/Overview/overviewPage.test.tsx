import { screen, waitFor } from '@testing-library/react';
import { installGrafana } from '../testing/grafanaServices';
import { renderApp } from '../testing/renderApp';

jest.spyOn(console, 'error').mockImplementation(() => {});

describe('Overview page', () => {
  it('counts jobs and nodes per state on the server and shows the top users, scheduler and hardware', async () => {
    const recorded = installGrafana({
      slurm: () => [],
      get: (url) => (url.endsWith('snapshot/status') ? { ageSeconds: 1, stale: false } : []),
    });
    renderApp('/a/hpc-slurm-app/overview');
    expect(await screen.findByRole('heading', { level: 2, name: 'Top users by running CPUs' })).toBeInTheDocument();
    for (const title of [
      'Scheduler health',
      'Cluster CPU use',
      'Cluster memory use',
      'Cluster GPU use',
      'Hottest sensor',
    ]) {
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

  it('queries the cluster picked in the URL', async () => {
    const recorded = installGrafana(
      { slurm: () => [], get: (url) => (url.endsWith('snapshot/status') ? { ageSeconds: 1, stale: false } : []) },
      { slurm: 'Cluster A', slurm2: 'Cluster B' }
    );
    renderApp('/a/hpc-slurm-app/overview?var-cluster=slurm2', { slurmDatasourceUids: ['slurm', 'slurm2'] });
    expect(await screen.findByText('Cluster B')).toBeInTheDocument();
    await waitFor(() => expect(recorded.queries.length).toBeGreaterThan(0));
    expect(new Set(recorded.queries.map((q) => (q.datasource as { uid: string }).uid))).toEqual(new Set(['slurm2']));
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
