import type { NodeMapping } from '../../settings';

/** Escapes a value for a PromQL double-quoted string. */
function promString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/**
 * PromQL for one node_exporter metric of one Slurm node, following the app's node mapping (DESIGN §6):
 * uname joins node_uname_info on instance; label filters on a label holding the node name;
 * regex matches instance against a template in which $node stands for the node name.
 */
export function nodeMetricQuery(metric: string, node: string, mapping: NodeMapping): string {
  const name = promString(node);
  switch (mapping.mode) {
    case 'label':
      return `${metric}{${mapping.label || 'nodename'}="${name}"}`;
    case 'regex':
      return `${metric}{instance=~"${promString((mapping.regex || '$node(:.*)?').split('$node').join(node))}"}`;
    case 'uname':
    default:
      return `${metric} * on(instance) group_left(nodename) node_uname_info{nodename="${name}"}`;
  }
}
