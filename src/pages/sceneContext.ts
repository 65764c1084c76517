import type { DataSourceRef } from '@grafana/schema';
import { DATASOURCE_PLUGIN_ID } from '../constants';
import { DEFAULT_NODE_MAPPING, type NodeMapping } from '../settings';

/** What every page needs to know to build its queries; derived once from the app settings. */
export interface SceneContext {
  slurm: DataSourceRef;
  prometheus?: DataSourceRef;
  nodeMapping: NodeMapping;
}

export function slurmRef(uid: string): DataSourceRef {
  return { type: DATASOURCE_PLUGIN_ID, uid };
}

export function makeSceneContext(
  slurmUid: string,
  prometheusUid: string | undefined,
  nodeMapping: NodeMapping | undefined
): SceneContext {
  return {
    slurm: slurmRef(slurmUid),
    prometheus: prometheusUid ? { type: 'prometheus', uid: prometheusUid } : undefined,
    nodeMapping: nodeMapping ?? DEFAULT_NODE_MAPPING,
  };
}
