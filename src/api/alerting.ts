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
 * The alarm log's word for a Grafana alert instance state ("Alerting", "Pending (Error)", "Normal (NoData)"…):
 * "firing" and "pending" with Grafana's reason kept, undefined for a normal instance, which is not an alarm.
 */
export function alarmState(grafanaState: string): string | undefined {
  const state = grafanaState.toLowerCase();
  if (state.startsWith('normal') || state === 'inactive') {
    return undefined;
  }
  return state.replace(/^alerting/, 'firing');
}

/**
 * What a state-change annotation says besides the rule's name: Grafana writes "<rule> {labels} - <values>";
 * the labels that tell instances apart (not alertname, the folder or Grafana's own) and the values.
 */
export function stateChangeDetail(
  text: string | undefined,
  ruleName: string
): { labels: Record<string, string>; detail: string } {
  let rest = (text ?? '').trim();
  if (rest.startsWith(ruleName)) {
    rest = rest.slice(ruleName.length).trim();
  }
  const labels: Record<string, string> = {};
  const braces = /^\{([^}]*)\}/.exec(rest);
  if (braces) {
    for (const pair of braces[1].split(/,\s*/)) {
      const eq = pair.indexOf('=');
      if (eq > 0) {
        labels[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
      }
    }
    rest = rest.slice(braces[0].length).trim();
  }
  return { labels: shownLabels(labels), detail: rest.replace(/^-\s*/, '') };
}

/** The labels worth a column: not the alert's name, its folder or Grafana's internal ones. */
export function shownLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels).filter(([k]) => !k.startsWith('__') && k !== 'alertname' && k !== 'grafana_folder')
  );
}

/**
 * Alert instances of the Grafana-managed rules in `folder` (the app provisions its rules into folder HPC),
 * from Grafana's Prometheus-compatible rules API: the firing and pending ones (normal instances are not alarms).
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
        const state = alarmState(alert.state);
        // The alarm log is what fires or is about to; resolved instances are in the state history.
        if (!state) {
          continue;
        }
        entries.push({
          source: 'grafana',
          name: rule.name,
          state,
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
    .map((a) => {
      const { labels, detail } = stateChangeDetail(a.text, a.alertName!);
      return {
        source: 'grafana' as const,
        name: a.alertName!,
        state: (a.newState ?? '').toLowerCase().replace(/^alerting/, 'firing'),
        previousState: a.prevState?.toLowerCase().replace(/^alerting/, 'firing'),
        labels,
        summary: detail,
        activeAt: new Date(a.time).toISOString(),
      };
    });
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
