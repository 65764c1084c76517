/** How Slurm node names map to Prometheus series (DESIGN §6). */
export interface NodeMapping {
  /** uname: join on node_uname_info{nodename}; label: a label that holds the node name; regex: instance matches a template. */
  mode: 'uname' | 'label' | 'regex';
  label?: string;
  /** For mode regex: a regular expression for `instance`, with `$node` standing for the Slurm node name. */
  regex?: string;
}

/** The app's jsonData (provisioning/plugins/hpc-slurm-app.yaml writes the same keys). */
export interface AppSettings {
  /** One Slurm data source per cluster; the first is the default. */
  slurmDatasourceUids?: string[];
  prometheusDatasourceUid?: string;
  alertmanagerDatasourceUid?: string;
  nodeMapping?: NodeMapping;
}

export const DEFAULT_NODE_MAPPING: NodeMapping = { mode: 'uname' };
