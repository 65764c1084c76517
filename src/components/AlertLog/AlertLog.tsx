import React from 'react';
import { SceneObjectBase, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, LoadingPlaceholder, useStyles2, type BadgeColor } from '@grafana/ui';
import { errorMessage } from '../../api/slurmResources';
import {
  fetchAlertmanagerAlerts,
  fetchGrafanaAlerts,
  fetchRecentStateChanges,
  shownLabels,
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

const STATE_COLOR: Record<string, BadgeColor> = {
  firing: 'red',
  alerting: 'red',
  active: 'red',
  pending: 'orange',
  suppressed: 'blue',
  normal: 'green',
};

/**
 * The alarm log: alert instances of the app's Grafana rules and the alerts an Alertmanager holds, read from
 * Grafana's own APIs: what fires or is pending now, newest first (Grafana's alert list panel shows only one of
 * the two sources at a time), and below it the rules' state changes of the last day, resolved ones included.
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

  static Component = ({ model }: SceneComponentProps<AlertLog>) => <AlertLogView model={model} />;
}

function AlertLogView({ model }: SceneComponentProps<AlertLog>) {
  const { grafana, alertmanager, recent, grafanaError, alertmanagerError, alertmanagerUid } = model.useState();
  const styles = useStyles2(getStyles);
  if (!grafana && !alertmanager && !grafanaError && !alertmanagerError) {
    return <LoadingPlaceholder text="Loading alerts…" />;
  }
  const all = [...(grafana ?? []), ...(alertmanager ?? [])].sort((a, b) =>
    String(b.activeAt ?? '').localeCompare(String(a.activeAt ?? ''))
  );
  return (
    <div className={styles.log}>
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
        <table aria-label="Alarm log" className={styles.table}>
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
                <td className={styles.nowrap}>{a.activeAt ? formatWhen(a.activeAt) : '—'}</td>
                <td>
                  <Badge text={a.state} color={stateColor(a.state)} />
                </td>
                <td>{a.name}</td>
                <td>{a.source === 'grafana' ? 'Grafana' : 'Alertmanager'}</td>
                <td>
                  <LabelList labels={shownLabels(a.labels)} />
                </td>
                <td>{a.summary ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {recent && recent.length > 0 && (
        <table aria-label="State changes in the last 24 hours" className={styles.table}>
          <caption className={styles.caption}>State changes in the last 24 hours (resolved alerts included)</caption>
          <thead>
            <tr>
              <th>When</th>
              <th>Alert</th>
              <th>Labels</th>
              <th>From</th>
              <th>To</th>
              <th>Values</th>
            </tr>
          </thead>
          <tbody>
            {recent.map((a, i) => (
              <tr key={`${a.name}-${a.activeAt}-${i}`}>
                <td className={styles.nowrap}>{a.activeAt ? formatWhen(a.activeAt) : '—'}</td>
                <td>{a.name}</td>
                <td>
                  <LabelList labels={a.labels} />
                </td>
                <td>{a.previousState ?? ''}</td>
                <td>
                  <Badge text={a.state} color={stateColor(a.state)} />
                </td>
                <td>{a.summary ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** "2026-12-05 17:03 UTC": when, to the minute, in one line. */
function formatWhen(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : `${t.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}

function stateColor(state: string): BadgeColor {
  return STATE_COLOR[state.split(' ')[0]] ?? 'blue';
}

/** An instance's labels as separate key=value chips, so neighbouring columns cannot run together. */
function LabelList({ labels }: { labels: Record<string, string> }) {
  const styles = useStyles2(getStyles);
  const entries = Object.entries(labels);
  if (entries.length === 0) {
    return null;
  }
  return (
    <ul className={styles.labels} aria-label="Labels">
      {entries.map(([k, v]) => (
        <li key={k} className={styles.label}>
          {k}={v}
        </li>
      ))}
    </ul>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  log: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), width: '100%' }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(0.75, 1.5),
      textAlign: 'left',
      verticalAlign: 'top',
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  caption: css({ captionSide: 'top', textAlign: 'left', padding: theme.spacing(0, 0, 1, 0), fontWeight: 500 }),
  nowrap: css({ whiteSpace: 'nowrap' }),
  labels: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5), listStyle: 'none', margin: 0, padding: 0 }),
  label: css({
    padding: theme.spacing(0, 0.75),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
  }),
});
