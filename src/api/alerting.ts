import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';

/** One alert as the alarm log shows it, from Grafana alerting or from an Alertmanager. */
export interface AlertEntry {
  source: 'grafana' | 'alertmanager';
  name: string;
  state: string;
  labels: Record<string, string>;
  summary?: string;
  activeAt?: string;
  /** For a state change: the state before it. */
  previousState?: string;
}

interface GrafanaRuleGroup {
  name: string;
  file: string;
  rules: Array<{
    name: string;
    state: string;
    alerts?: Array<{
      labels: Record<string, string>;
      annotations?: Record<string, string>;
      state: string;
      activeAt?: string;
    }>;
  }>;
}

async function get<T>(url: string, params?: Record<string, string>): Promise<T> {
  const response = await lastValueFrom(getBackendSrv().fetch<T>({ url, params, showErrorAlert: false }));
  return response.data;
}

/**
 * Alert instances of the Grafana-managed rules in `folder` (the app provisions its rules into folder HPC),
 * from Grafana's Prometheus-compatible rules API, firing and pending first.
 */
export async function fetchGrafanaAlerts(folder: string): Promise<{ alerts: AlertEntry[]; ruleNames: string[] }> {
  const body = await get<{ data?: { groups?: GrafanaRuleGroup[] } }>('/api/prometheus/grafana/api/v1/rules');
  const entries: AlertEntry[] = [];
  const ruleNames: string[] = [];
  for (const group of body.data?.groups ?? []) {
    if (group.file !== folder) {
      continue;
    }
    for (const rule of group.rules) {
      ruleNames.push(rule.name);
      for (const alert of rule.alerts ?? []) {
        entries.push({
          source: 'grafana',
          name: rule.name,
          state: alert.state.toLowerCase(),
          labels: alert.labels,
          summary: alert.annotations?.summary,
          activeAt: alert.activeAt,
        });
      }
    }
  }
  return { alerts: entries, ruleNames };
}

interface StateChangeAnnotation {
  alertName?: string;
  newState?: string;
  prevState?: string;
  time: number;
  text?: string;
}

/**
 * Recent state changes (firing, resolved, …) of the named rules: Grafana alerting records them as
 * alert annotations (its default state history), which the annotations API lists newest first.
 */
export async function fetchRecentStateChanges(
  ruleNames: string[],
  sinceMs: number,
  now = Date.now()
): Promise<AlertEntry[]> {
  const rules = new Set(ruleNames);
  const items = await get<StateChangeAnnotation[]>('/api/annotations', {
    type: 'alert',
    from: String(sinceMs),
    to: String(now),
    limit: '200',
  });
  return (items ?? [])
    .filter((a) => a.alertName && rules.has(a.alertName))
    .map((a) => ({
      source: 'grafana' as const,
      name: a.alertName!,
      state: (a.newState ?? '').toLowerCase(),
      previousState: a.prevState?.toLowerCase(),
      labels: {},
      summary: a.text,
      activeAt: new Date(a.time).toISOString(),
    }));
}

interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  status?: { state?: string };
}

/** Alerts an Alertmanager data source holds now, through Grafana's Alertmanager proxy. */
export async function fetchAlertmanagerAlerts(datasourceUid: string): Promise<AlertEntry[]> {
  const alerts = await get<AlertmanagerAlert[]>(`/api/alertmanager/${encodeURIComponent(datasourceUid)}/api/v2/alerts`);
  return (alerts ?? []).map((a) => ({
    source: 'alertmanager',
    name: a.labels.alertname ?? '(no alertname)',
    state: a.status?.state ?? 'active',
    labels: a.labels,
    summary: a.annotations?.summary,
    activeAt: a.startsAt,
  }));
}
