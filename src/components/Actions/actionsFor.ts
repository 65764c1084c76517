import type { ActionName } from '../../api/operatorActions';

/** Job states in which nothing is left to act on. */
const ENDED = new Set([
  'COMPLETED',
  'CANCELLED',
  'FAILED',
  'TIMEOUT',
  'NODE_FAIL',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
  'OUT_OF_MEMORY',
]);

/** The actions that make sense for a job in its state, as its Slurm commands do (JobActions). */
export function jobActionsFor(stateBase: string, reason: string): ActionName[] {
  const state = stateBase.toUpperCase();
  if (state === '' || ENDED.has(state)) {
    return [];
  }
  if (state === 'PENDING') {
    return /^JobHeld(User|Admin)$/.test(reason) ? ['release', 'cancel'] : ['hold', 'cancel'];
  }
  return ['requeue', 'cancel'];
}

/** The actions for a node: resume a drained (or down) node, drain one that takes jobs. */
export function nodeActionsFor(stateBase: string, flags: string[]): ActionName[] {
  const all = [stateBase, ...flags].map((s) => s.toUpperCase());
  const drained = all.some((s) => s === 'DRAIN' || s === 'DRAINED' || s === 'DRAINING');
  if (drained) {
    return ['resume'];
  }
  if (all.includes('DOWN') || all.includes('FAIL')) {
    return ['resume', 'drain'];
  }
  return ['drain'];
}

/** Bulk actions on jobs chosen in the jobs table; on nodes chosen on the map or in the table. */
export const BULK_JOB_ACTIONS: ActionName[] = ['cancel', 'hold', 'release'];
export const BULK_NODE_ACTIONS: ActionName[] = ['drain', 'resume'];
