import React, { useLayoutEffect, useState } from 'react';
import { render } from '@testing-library/react';
import { Route, Router, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { LocationServiceProvider, locationService } from '@grafana/runtime';
import App from '../components/App/App';
import type { AppSettings } from '../settings';

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

/** The provisioned app settings (provisioning/plugins/hpc-slurm-app.yaml). */
export const PROVISIONED: AppSettings = {
  slurmDatasourceUids: ['slurm'],
  prometheusDatasourceUid: 'prometheus',
  alertmanagerDatasourceUid: 'alertmanager',
  nodeMapping: { mode: 'uname' },
};

/** Renders the app as Grafana does at `path` (e.g. /a/hpc-slurm-app/jobs?var-state=PENDING). */
export function renderApp(path: string, jsonData: AppSettings = PROVISIONED) {
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

export { locationService };
