import pluginJson from './plugin.json';
import datasourcePluginJson from './datasource/plugin.json';

export const APP_PLUGIN_ID = pluginJson.id; // 'hpc-slurm-app'
export const DATASOURCE_PLUGIN_ID = datasourcePluginJson.id; // 'hpc-slurm-datasource'

/** Where Grafana mounts the app's root page. */
export const PLUGIN_BASE_URL = `/a/${APP_PLUGIN_ID}`;

/** Route segments below PLUGIN_BASE_URL; `:id` and `:name` are filled in by drilldowns. */
export enum ROUTES {
  Overview = 'overview',
  Jobs = 'jobs',
  JobDetail = 'jobs/:id',
  Partitions = 'partitions',
  Nodes = 'nodes',
  NodeDetail = 'nodes/:name',
  Alerts = 'alerts',
}
