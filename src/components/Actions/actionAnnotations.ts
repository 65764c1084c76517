import { dataLayers, VizPanel } from '@grafana/scenes';
import type { DataQuery } from '@grafana/schema';

/** The query of Grafana's built-in annotations: by tags (Grafana's GrafanaAnnotationQuery). */
interface TagsAnnotationQuery extends DataQuery {
  type: 'tags';
  tags: string[];
  matchAny: boolean;
  limit: number;
}

/** The tag of every operator action annotation (pkg/actions AuditTag). */
export const ACTION_TAG = 'slurm-action';

/** Tags that select one job's or one node's action annotations (pkg/actions TargetTags). */
export function actionTags(kind: 'job' | 'node', target: string): string[] {
  return [ACTION_TAG, `${kind}:${target}`];
}

/**
 * The operator actions on a job or node as an annotation layer: Grafana's own annotations (the data source
 * creates them with its service account) filtered by tags, all of which must match.
 */
export function actionAnnotationsLayer(kind: 'job' | 'node', target: string) {
  return new dataLayers.AnnotationsDataLayer({
    name: 'Operator actions',
    isEnabled: true,
    query: {
      name: 'Operator actions',
      enable: true,
      iconColor: 'orange',
      datasource: { type: 'grafana', uid: '-- Grafana --' },
      target: {
        type: 'tags',
        tags: actionTags(kind, target),
        matchAny: false,
        limit: 100,
        refId: 'Anno',
      } as TagsAnnotationQuery,
    },
  });
}

/**
 * The list of operator actions on one job or node (Grafana's annotation list panel on the same tags), newest
 * first and whatever the time range: an action on a job that ran last week still shows.
 */
export function actionLogPanel(kind: 'job' | 'node', target: string) {
  return new VizPanel({
    pluginId: 'annolist',
    title: `Operator actions on ${kind} ${target}`,
    description:
      'Every cancel, hold, release, requeue, drain and resume tried from Grafana, by whom, as which Slurm user and how it ended. Needs the data source to have a Grafana service account (see the data source settings); the audit log has them all.',
    options: {
      onlyFromThisDashboard: false,
      onlyInTimeRange: false,
      tags: actionTags(kind, target),
      limit: 20,
      showUser: false,
      showTime: true,
      showTags: false,
      navigateToPanel: false,
      navigateBefore: '10m',
      navigateAfter: '10m',
    },
  });
}
