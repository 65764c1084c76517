import { screen } from '@testing-library/react';
import { locationService } from '@grafana/runtime';
import { installGrafana } from '../../testing/grafanaServices';
import { renderApp } from '../../testing/renderApp';

beforeEach(() => {
  installGrafana({
    slurm: () => [],
    get: (url) => (url.endsWith('snapshot/status') ? { ageSeconds: 3, stale: false } : []),
  });
});

const panelTitles = () => screen.queryAllByRole('heading', { level: 2 }).map((h) => h.textContent);

describe('App routing', () => {
  it.each([
    ['overview', ['Nodes by state', 'Jobs by state', 'Firing alerts', 'CPUs allocated by partition']],
    ['jobs', ['Pending jobs by why they wait', 'Jobs']],
    ['jobs/1234_5', ['Accounting record (efficiency)']],
    ['partitions', ['Partitions', 'CPUs allocated by partition', 'GPUs allocated by partition']],
    ['nodes', ['Nodes']],
    ['nodes/node01', ['Jobs on node01', 'CPU load of node01']],
    ['alerts', ['Alert rules']],
  ])('renders /a/hpc-slurm-app/%s with its panels', async (route, titles) => {
    renderApp(`/a/hpc-slurm-app/${route}`);
    expect(await screen.findByRole('heading', { level: 2, name: titles[0] })).toBeInTheDocument();
    expect(panelTitles().slice(0, titles.length)).toEqual(titles);
  });

  it("opens the overview from the app's bare URL", async () => {
    renderApp('/a/hpc-slurm-app');
    expect(await screen.findByRole('heading', { level: 2, name: 'Jobs by state' })).toBeInTheDocument();
    expect(locationService.getLocation().pathname).toBe('/a/hpc-slurm-app/overview');
  });

  it('refuses a job id that is not a Slurm job id, without a panel', async () => {
    renderApp('/a/hpc-slurm-app/jobs/1%3Bdrop');
    expect(await screen.findByText('Invalid job id')).toBeInTheDocument();
    expect(screen.getByText(/"1;drop" is not a Slurm job id/)).toBeInTheDocument();
    expect(panelTitles()).toEqual([]);
  });

  it('refuses a node name that is not a Slurm node name', async () => {
    renderApp('/a/hpc-slurm-app/nodes/%22x%22');
    expect(await screen.findByText('Invalid node name')).toBeInTheDocument();
    expect(panelTitles()).toEqual([]);
  });

  it('keeps the Slurm panels and explains the missing hardware panels without Prometheus', async () => {
    renderApp('/a/hpc-slurm-app/nodes/node01', { slurmDatasourceUids: ['slurm'] });
    expect(await screen.findByRole('heading', { level: 2, name: 'Jobs on node01' })).toBeInTheDocument();
    expect(panelTitles()).toEqual(['Jobs on node01', 'Operator actions on node node01']);
    expect(screen.getByText('No Prometheus data source chosen')).toBeInTheDocument();
  });

  it('guides the setup when no Slurm data source is chosen', () => {
    renderApp('/a/hpc-slurm-app/overview', {});
    expect(screen.getByText('No Slurm data source chosen')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'configuration page' })).toHaveAttribute('href', '/plugins/hpc-slurm-app');
    expect(screen.getByRole('link', { name: 'new data source' })).toHaveAttribute(
      'href',
      '/connections/datasources/new?type=hpc-slurm-datasource'
    );
  });

  it('guides the setup when the configured data source was deleted', () => {
    renderApp('/a/hpc-slurm-app/overview', { slurmDatasourceUids: ['gone'] });
    expect(screen.getByText('No Slurm data source chosen')).toBeInTheDocument();
    expect(screen.getByText(/gone no longer exists/)).toBeInTheDocument();
  });
});
