import React, { useMemo } from 'react';
import type { AppRootProps } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { Navigate, Route, Routes } from 'react-router-dom';
import { ROUTES } from '../../constants';
import type { AppSettings } from '../../settings';
import { GuidedSetup } from './GuidedSetup';
import { buildSceneApp } from './sceneApp';

/** The configured Slurm data sources that exist in this Grafana; a deleted one would break every page. */
function existingClusters(uids: string[]): { present: string[]; missing: string[] } {
  const srv = getDataSourceSrv();
  const present = uids.filter((uid) => srv.getInstanceSettings(uid));
  return { present, missing: uids.filter((uid) => !present.includes(uid)) };
}

export default function App({ meta }: AppRootProps<AppSettings>) {
  const settings: AppSettings = useMemo(() => meta.jsonData ?? {}, [meta.jsonData]);
  const { present, missing } = useMemo(() => existingClusters(settings.slurmDatasourceUids ?? []), [settings]);
  const scene = useMemo(() => (present.length > 0 ? buildSceneApp(settings, present) : undefined), [settings, present]);

  if (!scene) {
    return <GuidedSetup missingUids={missing} />;
  }
  return (
    <Routes>
      {/* The app's bare URL (/a/hpc-slurm-app) opens the overview. */}
      <Route index element={<Navigate to={ROUTES.Overview} replace />} />
      <Route path="*" element={<scene.Component model={scene} />} />
    </Routes>
  );
}
