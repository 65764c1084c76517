import React, { useMemo } from 'react';
import type { AppRootProps } from '@grafana/data';
import { SceneApp } from '@grafana/scenes';
import { Navigate, Route, Routes } from 'react-router-dom';
import { Alert, TextLink } from '@grafana/ui';
import { APP_PLUGIN_ID, ROUTES } from '../../constants';
import type { AppSettings } from '../../settings';
import { alertsPage } from '../../pages/Alerts/alertsPage';
import { jobsPage } from '../../pages/Jobs/jobsPage';
import { nodesPage } from '../../pages/Nodes/nodesPage';
import { overviewPage } from '../../pages/Overview/overviewPage';
import { partitionsPage } from '../../pages/Partitions/partitionsPage';
import { makeSceneContext } from '../../pages/sceneContext';

export function buildSceneApp(settings: AppSettings, slurmUid: string): SceneApp {
  const ctx = makeSceneContext(slurmUid, settings.prometheusDatasourceUid, settings.nodeMapping);
  return new SceneApp({
    pages: [overviewPage(ctx), jobsPage(ctx), partitionsPage(ctx), nodesPage(ctx), alertsPage()],
    urlSyncOptions: { updateUrlOnInit: true, createBrowserHistorySteps: true },
  });
}

export default function App({ meta }: AppRootProps<AppSettings>) {
  const settings: AppSettings = useMemo(() => meta.jsonData ?? {}, [meta.jsonData]);
  // The first configured Slurm data source is the default cluster (a cluster picker comes with issue 5).
  const slurmUid = settings.slurmDatasourceUids?.[0];
  const scene = useMemo(() => (slurmUid ? buildSceneApp(settings, slurmUid) : undefined), [settings, slurmUid]);

  if (!scene) {
    return (
      <Alert severity="warning" title="No Slurm data source chosen">
        Choose the Slurm data source of your cluster on the app&apos;s{' '}
        <TextLink href={`/plugins/${APP_PLUGIN_ID}`}>configuration page</TextLink>.
      </Alert>
    );
  }
  return (
    <Routes>
      {/* The app's bare URL (/a/hpc-slurm-app) opens the overview. */}
      <Route index element={<Navigate to={ROUTES.Overview} replace />} />
      <Route path="*" element={<scene.Component model={scene} />} />
    </Routes>
  );
}
