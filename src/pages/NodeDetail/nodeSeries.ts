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

/**
 * A per-node PromQL expression over the nodes whose names match `nodesRegex`, following the node mapping.
 * `template` is a selector expression in which `__NODE__` marks where the node matcher goes, e.g.
 * `rate(node_network_receive_bytes_total{device!="lo",__NODE__}[$__rate_interval])`. The answer has one
 * series per node, labelled with the node's name label (nodename, the mapping's label, or instance).
 */
export function perNodeExpr(template: string, nodesRegex: string, mapping: NodeMapping, agg = 'sum'): string {
  const pattern = promString(nodesRegex);
  switch (mapping.mode) {
    case 'label': {
      const label = mapping.label || 'nodename';
      return `${agg} by (${label}) (${template.replace('__NODE__', `${label}=~"${pattern}"`)})`;
    }
    case 'regex': {
      const instance = promString((mapping.regex || '$node(:.*)?').split('$node').join(`(${nodesRegex})`));
      return `${agg} by (instance) (${template.replace('__NODE__', `instance=~"${instance}"`)})`;
    }
    case 'uname':
    default: {
      const bare = template.replace(/,?__NODE__/, '').replace('{}', '');
      return `${agg} by (nodename) (${bare} * on(instance) group_left(nodename) node_uname_info{nodename=~"${pattern}"})`;
    }
  }
}

/** The label that names the node in perNodeExpr's answer. */
export function nodeLabelOf(mapping: NodeMapping): string {
  return mapping.mode === 'label' ? mapping.label || 'nodename' : mapping.mode === 'regex' ? 'instance' : 'nodename';
}
