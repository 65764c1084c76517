import { screen, waitFor } from '@testing-library/react';
import { installGrafana } from '../testing/grafanaServices';
import { renderApp } from '../testing/renderApp';
import { partitionsFrame } from '../testing/slurmFixtures';

jest.spyOn(console, 'error').mockImplementation(() => {});

describe('Partitions page', () => {
  it('asks for partitions, pending by partition and reason, and wait-time history, filtered from the URL', async () => {
    const recorded = installGrafana({
      slurm: (q) => (q.queryType === 'partitions' ? [partitionsFrame()] : []),
      get: (url) =>
        url.endsWith('variables/partitions')
          ? [
              { text: 'cpu', value: 'cpu' },
              { text: 'gpu', value: 'gpu' },
            ]
          : { ageSeconds: 1, stale: false },
    });
    renderApp('/a/hpc-slurm-app/partitions?var-partition=gpu');
    expect(await screen.findByRole('heading', { level: 2, name: 'Wait time (from accounting)' })).toBeInTheDocument();
    await waitFor(() => expect(recorded.queries.some((q) => q.queryType === 'history_series')).toBe(true));
    expect(recorded.queries.find((q) => q.queryType === 'partitions' && q.partitions)).toMatchObject({
      partitions: 'gpu',
    });
    expect(recorded.queries.find((q) => q.queryType === 'job_counts')).toMatchObject({
      states: ['PENDING'],
      groupBy: ['partition', 'reason'],
      partitions: 'gpu',
    });
    expect(recorded.queries.find((q) => q.queryType === 'history_series')).toMatchObject({
      metric: 'wait_p90',
      groupBy: ['partition'],
    });
  });
});
