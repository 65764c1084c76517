import type { DataSourceRef } from '@grafana/schema';
import { DATASOURCE_PLUGIN_ID } from '../constants';
import { DEFAULT_NODE_MAPPING, type NodeMapping } from '../settings';

/** Name of the cluster picker variable; its value is the uid of the chosen Slurm data source. */
export const CLUSTER_VAR = 'cluster';

/** What every page needs to know to build its queries; derived once from the app settings. */
export interface SceneContext {
  /** The Slurm data source of the picked cluster: the uid is the `${cluster}` variable, resolved per query. */
  slurm: DataSourceRef;
  /** Uids of the configured Slurm data sources, one per cluster; the first is the default. */
  clusters: string[];
  prometheus?: DataSourceRef;
  alertmanagerUid?: string;
  nodeMapping: NodeMapping;
}

export function slurmRef(uid: string): DataSourceRef {
  return { type: DATASOURCE_PLUGIN_ID, uid };
}

export function makeSceneContext(
  clusters: string[],
  prometheusUid: string | undefined,
  nodeMapping: NodeMapping | undefined,
  alertmanagerUid?: string
): SceneContext {
  return {
    slurm: slurmRef(`\${${CLUSTER_VAR}}`),
    clusters,
    prometheus: prometheusUid ? { type: 'prometheus', uid: prometheusUid } : undefined,
    alertmanagerUid,
    nodeMapping: nodeMapping ?? DEFAULT_NODE_MAPPING,
  };
}
