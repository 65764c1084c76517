import React from 'react';
import { SceneObjectBase, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, Badge, LoadingPlaceholder } from '@grafana/ui';
import { errorMessage } from '../../api/slurmResources';
import {
  fetchAlertmanagerAlerts,
  fetchGrafanaAlerts,
  fetchRecentStateChanges,
  type AlertEntry,
} from '../../api/alerting';

interface AlertLogState extends SceneObjectState {
  /** Grafana folder of the app's provisioned rules (provisioning/alerting: folder HPC). */
  folder: string;
  alertmanagerUid?: string;
  grafana?: AlertEntry[];
  alertmanager?: AlertEntry[];
  /** State changes of the app's rules over the last day (resolved alerts included). */
  recent?: AlertEntry[];
  grafanaError?: string;
  alertmanagerError?: string;
  pollMs?: number;
}

const STATE_COLOR: Record<string, 'red' | 'orange' | 'blue' | 'green'> = {
  firing: 'red',
  alerting: 'red',
  active: 'red',
  pending: 'orange',
  suppressed: 'blue',
  normal: 'green',
};

/**
 * The alarm log: alert instances of the app's Grafana rules and the alerts an Alertmanager holds, read from
 * Grafana's own APIs. Grafana's alert list panel shows only one of the two sources at a time; this lists
 * both in one table, newest first.
 */
export class AlertLog extends SceneObjectBase<AlertLogState> {
  constructor(state: AlertLogState) {
    super(state);
    this.addActivationHandler(() => {
      this.load();
      const timer = setInterval(() => this.load(), this.state.pollMs ?? 30_000);
      return () => clearInterval(timer);
    });
  }

  async load() {
    const { folder, alertmanagerUid } = this.state;
    const [grafana, alertmanager] = await Promise.allSettled([
      fetchGrafanaAlerts(folder),
      alertmanagerUid ? fetchAlertmanagerAlerts(alertmanagerUid) : Promise.resolve(undefined),
    ]);
    const ruleNames = grafana.status === 'fulfilled' ? grafana.value.ruleNames : [];
    // The history is a nicety: without it the current alerts are still the log.
    const recent = ruleNames.length
      ? await fetchRecentStateChanges(ruleNames, Date.now() - 24 * 3600_000).catch(() => this.state.recent)
      : [];
    this.setState({
      recent,
      grafana: grafana.status === 'fulfilled' ? grafana.value.alerts : this.state.grafana,
      grafanaError: grafana.status === 'rejected' ? errorMessage(grafana.reason) : undefined,
      alertmanager: alertmanager.status === 'fulfilled' ? alertmanager.value : this.state.alertmanager,
      alertmanagerError: alertmanager.status === 'rejected' ? errorMessage(alertmanager.reason) : undefined,
    });
  }

  static Component = ({ model }: SceneComponentProps<AlertLog>) => {
    const { grafana, alertmanager, recent, grafanaError, alertmanagerError, alertmanagerUid } = model.useState();
    if (!grafana && !alertmanager && !grafanaError && !alertmanagerError) {
      return <LoadingPlaceholder text="Loading alerts…" />;
    }
    const all = [...(grafana ?? []), ...(alertmanager ?? [])].sort((a, b) =>
      String(b.activeAt ?? '').localeCompare(String(a.activeAt ?? ''))
    );
    return (
      <div>
        {grafanaError && (
          <Alert severity="error" title="Grafana alerting did not answer">
            {grafanaError}
          </Alert>
        )}
        {alertmanagerError && (
          <Alert severity="warning" title="Alertmanager did not answer">
            {alertmanagerError}
          </Alert>
        )}
        {!alertmanagerUid && (
          <Alert severity="info" title="No Alertmanager data source chosen">
            Only Grafana&apos;s own alert instances are listed; choose an Alertmanager on the app&apos;s configuration
            page.
          </Alert>
        )}
        {all.length === 0 ? (
          <p>No alerts are firing or pending.</p>
        ) : (
          <table aria-label="Alarm log" style={{ width: '100%' }}>
            <thead>
              <tr>
                <th>Since</th>
                <th>State</th>
                <th>Alert</th>
                <th>Source</th>
                <th>Labels</th>
                <th>Summary</th>
              </tr>
            </thead>
            <tbody>
              {all.map((a, i) => (
                <tr key={`${a.source}-${a.name}-${i}`}>
                  <td>{a.activeAt ? new Date(a.activeAt).toISOString().replace('T', ' ').slice(0, 19) : '—'}</td>
                  <td>
                    <Badge text={a.state} color={STATE_COLOR[a.state] ?? 'blue'} />
                  </td>
                  <td>{a.name}</td>
                  <td>{a.source === 'grafana' ? 'Grafana' : 'Alertmanager'}</td>
                  <td>
                    {Object.entries(a.labels)
                      .filter(([k]) => !k.startsWith('__') && k !== 'alertname' && k !== 'grafana_folder')
                      .map(([k, v]) => `${k}=${v}`)
                      .join(', ')}
                  </td>
                  <td>{a.summary ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {recent && recent.length > 0 && (
          <table aria-label="State changes in the last 24 hours" style={{ width: '100%', marginTop: 16 }}>
            <caption style={{ textAlign: 'left' }}>State changes in the last 24 hours</caption>
            <thead>
              <tr>
                <th>When</th>
                <th>Alert</th>
                <th>From</th>
                <th>To</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((a, i) => (
                <tr key={`${a.name}-${a.activeAt}-${i}`}>
                  <td>{a.activeAt?.replace('T', ' ').slice(0, 19)}</td>
                  <td>{a.name}</td>
                  <td>{a.previousState ?? ''}</td>
                  <td>
                    <Badge text={a.state} color={STATE_COLOR[a.state] ?? 'blue'} />
                  </td>
                  <td>{a.summary ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    );
  };
}
