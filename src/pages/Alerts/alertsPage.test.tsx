import { screen, within } from '@testing-library/react';
import { installGrafana } from '../testing/grafanaServices';
import { renderApp } from '../testing/renderApp';

jest.spyOn(console, 'error').mockImplementation(() => {});

/** Grafana's Prometheus-compatible rules API answer for Grafana-managed rules (shape of /api/prometheus/grafana/api/v1/rules). */
const grafanaRules = {
  status: 'success',
  data: {
    groups: [
      {
        name: 'slurm',
        file: 'HPC',
        rules: [
          {
            name: 'Nodes drained',
            state: 'firing',
            alerts: [
              {
                labels: { alertname: 'Nodes drained', partition: 'cpu', grafana_folder: 'HPC' },
                annotations: { summary: '1 node drained in cpu' },
                state: 'Alerting',
                activeAt: '2026-11-29T01:00:00Z',
              },
            ],
          },
        ],
      },
      {
        name: 'other',
        file: 'Somebody else',
        rules: [{ name: 'Unrelated', state: 'firing', alerts: [{ labels: {}, state: 'Alerting' }] }],
      },
    ],
  },
};

const alertmanagerAlerts = [
  {
    labels: { alertname: 'NodeExporterDown', instance: 'node03:9100' },
    annotations: { summary: 'node_exporter on node03 is down' },
    startsAt: '2026-11-29T01:05:00Z',
    status: { state: 'active' },
  },
];

/** Alert state annotations as Grafana's /api/annotations?type=alert lists them. */
const stateChanges = [
  {
    alertName: 'Nodes drained',
    newState: 'Alerting',
    prevState: 'Normal',
    time: Date.parse('2026-11-29T01:00:00Z'),
    text: 'partition=cpu',
  },
  {
    alertName: 'Nodes drained',
    newState: 'Normal',
    prevState: 'Alerting',
    time: Date.parse('2026-11-29T00:30:00Z'),
    text: 'partition=gpu',
  },
  { alertName: 'Unrelated', newState: 'Alerting', prevState: 'Normal', time: Date.parse('2026-11-29T00:20:00Z') },
];

describe('Alerts page', () => {
  it('lists the app’s Grafana alert instances and the Alertmanager’s alerts, newest first', async () => {
    installGrafana({
      slurm: () => [],
      get: (url) =>
        url === '/api/prometheus/grafana/api/v1/rules'
          ? grafanaRules
          : url === '/api/alertmanager/alertmanager/api/v2/alerts'
            ? alertmanagerAlerts
            : url === '/api/annotations'
              ? stateChanges
              : { ageSeconds: 1, stale: false },
    });
    renderApp('/a/hpc-slurm-app/alerts');
    const log = await screen.findByRole('table', { name: 'Alarm log' });
    const rows = within(log).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent(/NodeExporterDown.*Alertmanager.*instance=node03:9100/);
    expect(rows[1]).toHaveTextContent(/alerting.*Nodes drained.*Grafana.*partition=cpu.*1 node drained in cpu/);
    expect(screen.queryByText('Unrelated')).not.toBeInTheDocument();

    // Recent state changes of the app's rules, including the resolved one.
    const history = await screen.findByRole('table', { name: 'State changes in the last 24 hours' });
    const changes = within(history).getAllByRole('row').slice(1);
    expect(changes).toHaveLength(2);
    expect(changes[1]).toHaveTextContent(/Nodes drained.*alerting.*normal.*partition=gpu/);
  });

  it('still lists Grafana’s alerts when the Alertmanager does not answer', async () => {
    installGrafana({
      slurm: () => [],
      get: (url) =>
        url === '/api/prometheus/grafana/api/v1/rules'
          ? grafanaRules
          : url.includes('alertmanager')
            ? new Error('bad gateway')
            : {},
    });
    renderApp('/a/hpc-slurm-app/alerts');
    expect(await screen.findByText('Alertmanager did not answer')).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'Alarm log' })).getByText('Nodes drained')).toBeInTheDocument();
  });
});
