import type { NodeMapping } from '../settings';

/** dcgm-exporter names the node a GPU is on in its Hostname label. */
export const DCGM_MAPPING: NodeMapping = { mode: 'label', label: 'Hostname' };

/**
 * The IPMI exporter is scraped once per node's BMC with the node's name as the target (instance), as the
 * power and environment dashboards read it; its instance is not node_exporter's, so a node_uname_info join
 * would find nothing.
 */
export const IPMI_MAPPING: NodeMapping = { mode: 'label', label: 'instance' };

/** Where a per-node template wants the node matcher. */
export const NODE_PLACEHOLDER = '__NODE__';

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

/** Every placeholder of `template` replaced by `matcher` (a template may select several metrics). */
function fillPlaceholders(template: string, matcher: string): string {
  return template.split(NODE_PLACEHOLDER).join(matcher);
}

/**
 * The template with every placeholder taken out, for the uname join which selects nodes afterwards:
 * `{__NODE__}` disappears, `{a="b",__NODE__}` and `{__NODE__,a="b"}` keep `{a="b"}`.
 */
function withoutPlaceholders(template: string): string {
  return template
    .replace(/\{\s*__NODE__\s*\}/g, '')
    .replace(/,\s*__NODE__/g, '')
    .replace(/__NODE__\s*,\s*/g, '');
}

/**
 * A per-node PromQL expression over the nodes whose names match `nodesRegex`, following the node mapping.
 * `template` is an expression in which every `__NODE__` marks where the node matcher goes inside a selector,
 * e.g. `node_memory_MemTotal_bytes{__NODE__} - node_memory_MemAvailable_bytes{__NODE__}`. The answer has
 * one series per node, labelled with the node's name label (nodename, the mapping's label, or instance).
 */
export function perNodeExpr(template: string, nodesRegex: string, mapping: NodeMapping, agg = 'sum'): string {
  const pattern = promString(nodesRegex);
  switch (mapping.mode) {
    case 'label': {
      const label = mapping.label || 'nodename';
      return `${agg} by (${label}) (${fillPlaceholders(template, `${label}=~"${pattern}"`)})`;
    }
    case 'regex': {
      const instance = promString((mapping.regex || '$node(:.*)?').split('$node').join(`(${nodesRegex})`));
      return `${agg} by (instance) (${fillPlaceholders(template, `instance=~"${instance}"`)})`;
    }
    case 'uname':
    default: {
      // The parentheses make the join apply to the whole template: `a - b * on(…) …` would join b alone.
      const whole = withoutPlaceholders(template);
      return `${agg} by (nodename) ((${whole}) * on(instance) group_left(nodename) node_uname_info{nodename=~"${pattern}"})`;
    }
  }
}

/** The label that names the node in perNodeExpr's answer. */
export function nodeLabelOf(mapping: NodeMapping): string {
  return mapping.mode === 'label' ? mapping.label || 'nodename' : mapping.mode === 'regex' ? 'instance' : 'nodename';
}
