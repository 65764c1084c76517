import type { AppSettings } from '../../settings';

export interface AppSettingsErrors {
  slurm?: string;
  prometheus?: string;
  nodeMapping?: string;
}

/** Checks the app settings before saving; each message names the setting and what is wrong. */
export function validateAppSettings(settings: AppSettings): AppSettingsErrors {
  const errors: AppSettingsErrors = {};
  const uids = (settings.slurmDatasourceUids ?? []).filter((uid) => uid !== '');
  if (uids.length === 0) {
    errors.slurm = 'Choose at least one Slurm data source (one per cluster)';
  } else if (new Set(uids).size !== uids.length) {
    errors.slurm = 'Each Slurm data source may be chosen once: remove the duplicate cluster';
  }
  if (!settings.prometheusDatasourceUid) {
    errors.prometheus = 'Choose the Prometheus data source that scrapes the cluster (node_exporter, DCGM, IPMI)';
  }
  const mapping = settings.nodeMapping;
  if (mapping?.mode === 'label' && !mapping.label?.trim()) {
    errors.nodeMapping = 'Node mapping "label" needs the name of the Prometheus label that holds the Slurm node name';
  }
  if (mapping?.mode === 'regex') {
    const regex = mapping.regex?.trim() ?? '';
    if (!regex.includes('$node')) {
      errors.nodeMapping = 'Node mapping "regex" needs a pattern for instance containing $node, e.g. $node:9100';
    } else {
      try {
        new RegExp(regex.split('$node').join('node01'));
      } catch (e) {
        errors.nodeMapping = `Node mapping regex does not compile: ${(e as Error).message}`;
      }
    }
  }
  return errors;
}
