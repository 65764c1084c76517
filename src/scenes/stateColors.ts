import { stateColor } from '../components/NodeMap/nodeMapModel';

/** Colours of job states on the pages' bars: running green, waiting yellow, failures red, cancelled grey. */
export const JOB_STATE_COLORS: Record<string, string> = {
  RUNNING: '#73BF69',
  PENDING: '#FADE2A',
  SUSPENDED: '#B877D9',
  COMPLETING: '#8AB8FF',
  COMPLETED: '#5794F2',
  CANCELLED: '#8E8E8E',
  FAILED: '#F2495C',
  TIMEOUT: '#FF9830',
  NODE_FAIL: '#C4162A',
  BOOT_FAIL: '#C4162A',
  OUT_OF_MEMORY: '#C4162A',
  DEADLINE: '#FF9830',
  PREEMPTED: '#B877D9',
  REQUEUED: '#FADE2A',
};

const NODE_BASES = ['IDLE', 'MIXED', 'ALLOCATED', 'COMPLETING', 'DOWN', 'FUTURE', 'UNKNOWN', 'ERROR'];
/** The operator flags node_counts keeps in its state label (pkg/query operatorFlags), alone and in the usual pairs. */
const NODE_FLAGS = [
  '',
  '+DRAIN',
  '+NOT_RESPONDING',
  '+DRAIN+NOT_RESPONDING',
  '+FAIL',
  '+MAINTENANCE',
  '+REBOOT_REQUESTED',
  '+POWERED_DOWN',
  '+DRAIN+MAINTENANCE',
];

/** The colour of a node_counts state label ("IDLE+DRAIN"): as on the node map, down and drain win. */
export function nodeStateLabelColor(label: string): string {
  const upper = label.toUpperCase();
  if (upper.includes('DOWN') && !upper.includes('POWERED_DOWN')) {
    return stateColor('DOWN');
  }
  if (upper.includes('NOT_RESPONDING') || upper.includes('FAIL')) {
    return stateColor('DOWN');
  }
  if (upper.includes('DRAIN')) {
    return stateColor('DRAIN');
  }
  return stateColor(upper.split('+')[0]);
}

/** Every node state label the counts can carry, with its colour. */
export const NODE_STATE_COLORS: Record<string, string> = Object.fromEntries(
  NODE_BASES.flatMap((base) => NODE_FLAGS.map((flag) => base + flag)).map((label) => [
    label,
    nodeStateLabelColor(label),
  ])
);
