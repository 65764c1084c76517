import React, { useLayoutEffect, useState } from 'react';
import { render, screen } from '@testing-library/react';
import { Route, Router, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { LocationServiceProvider, locationService, setPluginImportUtils } from '@grafana/runtime';
import App from './App';
import type { AppSettings } from '../../settings';

// Panels load their visualization plugin through Grafana's plugin loader, which only exists in a running
// Grafana. Keeping every panel in its "loading plugin" state still renders its header and title, which is
// what these routing tests look at.
setPluginImportUtils({
  importPanelPlugin: () => new Promise(() => {}),
  getPanelPluginFromCache: () => undefined,
});

// Without a running Grafana the query runners cannot reach a data source and log that; these tests
// check which pages and panels render, not query results.
jest.spyOn(console, 'error').mockImplementation(() => {});

/** Grafana mounts app root pages under /a/<id>/* with its location service driving the router. */
function GrafanaRouter({ children }: { children: React.ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useLayoutEffect(() => history.listen((next: typeof history.location) => setLocation(next)), [history]);
  return (
    <LocationServiceProvider service={locationService}>
      <Router location={location} navigator={history} future={{ v7_relativeSplatPath: true }}>
        {children}
      </Router>
    </LocationServiceProvider>
  );
}

const SETTINGS: AppSettings = {
  slurmDatasourceUids: ['slurm'],
  prometheusDatasourceUid: 'prometheus',
  nodeMapping: { mode: 'uname' },
};

function renderAt(path: string, jsonData: AppSettings = SETTINGS) {
  locationService.push(path);
  const props = { meta: { jsonData } } as unknown as AppRootProps<AppSettings>;
  return render(
    <GrafanaRouter>
      <Routes>
        <Route path="/a/hpc-slurm-app/*" element={<App {...props} />} />
      </Routes>
    </GrafanaRouter>
  );
}

const panelTitles = () => screen.queryAllByRole('heading', { level: 2 }).map((h) => h.textContent);

describe('App routing', () => {
  it.each([
    ['overview', ['Jobs by state', 'Nodes by state', 'Partitions']],
    ['jobs', ['Jobs']],
    ['jobs/1234_5', ['Job 1234_5']],
    ['partitions', ['Partitions']],
    ['nodes', ['Nodes']],
    ['nodes/node01', ['Node node01', 'CPU load of node01']],
    ['alerts', ['Alert rules']],
  ])('renders /a/hpc-slurm-app/%s with its panels', async (route, titles) => {
    renderAt(`/a/hpc-slurm-app/${route}`);
    expect(await screen.findByRole('heading', { level: 2, name: titles[0] })).toBeInTheDocument();
    expect(panelTitles()).toEqual(titles);
  });

  it("opens the overview from the app's bare URL", async () => {
    renderAt('/a/hpc-slurm-app');
    expect(await screen.findByRole('heading', { level: 2, name: 'Jobs by state' })).toBeInTheDocument();
    expect(locationService.getLocation().pathname).toBe('/a/hpc-slurm-app/overview');
  });

  it('refuses a job id that is not a Slurm job id, without a panel', async () => {
    renderAt('/a/hpc-slurm-app/jobs/1%3Bdrop');
    expect(await screen.findByText('Invalid job id')).toBeInTheDocument();
    expect(screen.getByText(/"1;drop" is not a Slurm job id/)).toBeInTheDocument();
    expect(panelTitles()).toEqual([]);
  });

  it('refuses a node name that is not a Slurm node name', async () => {
    renderAt('/a/hpc-slurm-app/nodes/%22x%22');
    expect(await screen.findByText('Invalid node name')).toBeInTheDocument();
    expect(panelTitles()).toEqual([]);
  });

  it('leaves out the hardware panel when no Prometheus data source is chosen', async () => {
    renderAt('/a/hpc-slurm-app/nodes/node01', { slurmDatasourceUids: ['slurm'] });
    expect(await screen.findByRole('heading', { level: 2, name: 'Node node01' })).toBeInTheDocument();
    expect(panelTitles()).toEqual(['Node node01']);
  });

  it('asks for a Slurm data source when none is chosen', () => {
    renderAt('/a/hpc-slurm-app/overview', {});
    expect(screen.getByText('No Slurm data source chosen')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'configuration page' })).toHaveAttribute('href', '/plugins/hpc-slurm-app');
  });
});
