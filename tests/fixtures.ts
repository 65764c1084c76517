import { test as base } from '@grafana/plugin-e2e';
import pluginJson from '../src/plugin.json';

export const APP_ID = pluginJson.id;
/** Uids from provisioning/datasources/hpc.yaml. */
export const SLURM_UID = 'slurm';

/** Every spec needs a Grafana with the plugin provisioned; without GRAFANA_URL it is skipped. */
export function skipWithoutGrafana() {
  base.skip(!process.env.GRAFANA_URL, 'GRAFANA_URL is not set: plugin-e2e specs need a running Grafana');
}

export { test, expect } from '@grafana/plugin-e2e';
