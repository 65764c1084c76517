import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { installGrafana } from '../../testing/grafanaServices';
import { locationService, renderApp } from '../../testing/renderApp';

jest.spyOn(console, 'error').mockImplementation(() => {});

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
    await waitFor(() => expect(recorded.queries.length).toBeGreaterThan(0));
    const before = recorded.queries.length;
    await act(async () => {
      // Grafana's Select (react-select) opens its menu on mousedown.
      fireEvent.mouseDown(picker);
      fireEvent.keyDown(picker, { key: 'ArrowDown' });
      await userEvent.click(await screen.findByRole('option', { name: /Cluster B/ }));
    });
    await waitFor(() => expect(locationService.getSearchObject()['var-cluster']).toBe('slurm2'));
    await waitFor(() => expect(recorded.queries.slice(before).some((q) => q.datasource?.uid === 'slurm2')).toBe(true));
    expect(recorded.queries.slice(before).every((q) => q.datasource?.uid === 'slurm2')).toBe(true);
    await waitFor(() => expect(recorded.gets).toContain('/api/datasources/uid/slurm2/resources/snapshot/status'));
  });
});
