import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { installGrafana, type SentQuery } from '../../testing/grafanaServices';
import { locationService, renderApp } from '../../testing/renderApp';

/** A Slurm query without the data source it went to: the same panel's query on either cluster. */
const panelQuery = ({ datasource, ...query }: SentQuery) => JSON.stringify(query);

// Kept in a file of its own: after any earlier Overview render in the same jest module registry,
// the cluster picker's menu no longer opens under jsdom (state left behind by an earlier render), so
// this test failed only when run after its siblings. A fresh registry per file removes the coupling.
describe('Overview page cluster picker', () => {
  it('switches every query and the banner to the cluster chosen in the picker', async () => {
    const recorded = installGrafana(
      { slurm: () => [], get: (url) => (url.endsWith('snapshot/status') ? { ageSeconds: 1, stale: false } : []) },
      { slurm: 'Cluster A', slurm2: 'Cluster B' }
    );
    renderApp('/a/hpc-slurm-app/overview', { slurmDatasourceUids: ['slurm', 'slurm2'] });
    const picker = await screen.findByRole('combobox', { name: 'Cluster' });
    await waitFor(() => expect(recorded.queries.some((q) => q.datasource?.uid === 'slurm')).toBe(true));

    // Grafana's Select (react-select) opens its menu on mousedown.
    fireEvent.mouseDown(picker);
    fireEvent.keyDown(picker, { key: 'ArrowDown' });
    await userEvent.click(await screen.findByRole('option', { name: /Cluster B/ }));
    await waitFor(() => expect(locationService.getSearchObject()['var-cluster']).toBe('slurm2'));

    // Every Slurm query the page sent (whenever its panel first ran) was last sent to the chosen cluster.
    const slurmQueries = () => recorded.queries.filter((q) => q.queryType !== undefined);
    await waitFor(() => {
      const lastCluster = new Map(slurmQueries().map((q) => [panelQuery(q), q.datasource?.uid]));
      expect([...lastCluster.values()].filter((uid) => uid !== 'slurm2')).toEqual([]);
    });
    await waitFor(() => expect(recorded.gets).toContain('/api/datasources/uid/slurm2/resources/snapshot/status'));
  });
});
