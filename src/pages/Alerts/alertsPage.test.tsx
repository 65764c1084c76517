import { screen, within } from '@testing-library/react';
import { installGrafana } from '../../testing/grafanaServices';
import { renderApp } from '../../testing/renderApp';

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
              // Normal instances (Grafana lists every instance of a rule): not alarms.
              {
                labels: { alertname: 'Nodes drained', partition: 'gpu', grafana_folder: 'HPC' },
                annotations: { summary: 'no node drained in gpu' },
                state: 'Normal',
                activeAt: '2026-11-29T01:02:00Z',
              },
            ],
          },
          {
            name: 'Job failure ratio',
            state: 'pending',
            alerts: [
              {
                labels: {
                  alertname: 'Job failure ratio',
                  datasource_uid: 'slurm',
                  ref_id: 'A',
                  __alert_rule_uid__: 'x',
                },
                annotations: { summary: 'failure ratio unknown' },
                state: 'Pending (Error)',
                activeAt: '2026-11-29T00:50:00Z',
              },
            ],
          },
          {
            name: 'Nodes down',
            state: 'inactive',
            alerts: [
              { labels: { alertname: 'Nodes down' }, state: 'Normal (NoData)', activeAt: '2026-11-29T01:10:00Z' },
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
    text: 'Nodes drained {alertname=Nodes drained, grafana_folder=HPC, partition=cpu} - B=1, C=1',
  },
  {
    alertName: 'Nodes drained',
    newState: 'Normal',
    prevState: 'Alerting',
    time: Date.parse('2026-11-29T00:30:00Z'),
    text: 'Nodes drained {alertname=Nodes drained, grafana_folder=HPC, partition=gpu} - B=0, C=0',
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
    // Firing and pending only: the normal instances of the same rules are not listed.
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent(/NodeExporterDown.*Alertmanager.*instance=node03:9100/);
    expect(rows[1]).toHaveTextContent(/firing.*Nodes drained.*Grafana.*partition=cpu.*1 node drained in cpu/);
    expect(rows[2]).toHaveTextContent(/pending \(error\).*Job failure ratio/);
    expect(within(log).queryByText(/normal/)).not.toBeInTheDocument();
    expect(within(log).queryByText('no node drained in gpu')).not.toBeInTheDocument();
    expect(screen.queryByText('Unrelated')).not.toBeInTheDocument();
    // Each label is its own chip in its own column; Grafana's internal labels are left out.
    const labels = within(rows[0]).getByRole('list', { name: 'Labels' });
    expect(
      within(labels)
        .getAllByRole('listitem')
        .map((l) => l.textContent)
    ).toEqual(['instance=node03:9100']);
    expect(within(rows[2]).getByRole('list', { name: 'Labels' })).not.toHaveTextContent('__alert_rule_uid__');

    // Recent state changes of the app's rules, including the resolved one, with their labels apart.
    const history = await screen.findByRole('table', { name: /State changes in the last 24 hours/ });
    const changes = within(history).getAllByRole('row').slice(1);
    expect(changes).toHaveLength(2);
    expect(changes[1]).toHaveTextContent(/Nodes drained.*partition=gpu.*firing.*normal.*B=0, C=0/);
    expect(changes[1]).not.toHaveTextContent(/grafana_folder|alertname/);
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
