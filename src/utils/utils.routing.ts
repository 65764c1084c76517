import { PLUGIN_BASE_URL } from '../constants';

/** Absolute URL of an app route, e.g. prefixRoute('jobs') → /a/hpc-slurm-app/jobs. */
export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}
