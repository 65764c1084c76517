import { SceneApp } from '@grafana/scenes';
import { alertsPage } from '../../pages/Alerts/alertsPage';
import { jobDetailPage } from '../../pages/JobDetail/jobDetailPage';
import { jobsPage } from '../../pages/Jobs/jobsPage';
import { nodeDetailPage } from '../../pages/NodeDetail/nodeDetailPage';
import { nodesPage } from '../../pages/Nodes/nodesPage';
import { overviewPage } from '../../pages/Overview/overviewPage';
import { partitionsPage } from '../../pages/Partitions/partitionsPage';
import { makeSceneContext } from '../../scenes/sceneContext';
import type { AppSettings } from '../../settings';

/**
 * The app's route table: one page per route (src/pages/<Page>), and which page opens from which. Pages know
 * nothing of each other; a drilldown (a job from Jobs, a node from Nodes) is wired in here.
 */
export function buildSceneApp(settings: AppSettings, clusters: string[]): SceneApp {
  const ctx = makeSceneContext(
    clusters,
    settings.prometheusDatasourceUid,
    settings.nodeMapping,
    settings.alertmanagerDatasourceUid
  );
  return new SceneApp({
    pages: [
      overviewPage(ctx),
      jobsPage(ctx, [
        { routePath: ':id/*', getPage: (match, parent) => jobDetailPage(ctx, match.params.id ?? '', parent) },
      ]),
      partitionsPage(ctx),
      nodesPage(ctx, [
        { routePath: ':name/*', getPage: (match, parent) => nodeDetailPage(ctx, match.params.name ?? '', parent) },
      ]),
      alertsPage(ctx),
    ],
    urlSyncOptions: { updateUrlOnInit: true, createBrowserHistorySteps: true },
  });
}
