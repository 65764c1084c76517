import { familyOf, type ActionAnswer, type ActionName } from '../../api/operatorActions';

/** Button labels, as Slurm's commands name the actions. */
export const ACTION_LABELS: Record<ActionName, string> = {
  cancel: 'Cancel',
  hold: 'Hold',
  release: 'Release',
  requeue: 'Requeue',
  drain: 'Drain',
  resume: 'Resume',
};

const DONE: Record<ActionName, string> = {
  cancel: 'Cancelled',
  hold: 'Held',
  release: 'Released',
  requeue: 'Requeued',
  drain: 'Drained',
  resume: 'Resumed',
};

/** What the confirmation says will happen. */
const EFFECT: Record<ActionName, string> = {
  cancel: 'Slurm ends the job (scancel); a running job loses its work.',
  hold: 'The job stays pending and is not scheduled until it is released (scontrol hold).',
  release: 'The job may be scheduled again (scontrol release).',
  requeue: 'The job goes back to the queue and starts again from the beginning (scontrol requeue).',
  drain: 'No new jobs start on the node; running jobs finish (scontrol update state=DRAIN).',
  resume: 'The node takes jobs again (scontrol update state=RESUME).',
};

/** "job 123", "3 jobs", "node node01", "4 nodes". */
export function targetsText(action: ActionName, targets: string[]): string {
  const noun = familyOf(action) === 'jobs' ? 'job' : 'node';
  return targets.length === 1 ? `${noun} ${targets[0]}` : `${targets.length} ${noun}s`;
}

export function confirmTitle(action: ActionName, targets: string[]): string {
  return `${ACTION_LABELS[action]} ${targetsText(action, targets)}?`;
}

export function effectText(action: ActionName): string {
  return EFFECT[action];
}

/** One line saying how an answer ended, for the page: what was done, what Slurm or the data source refused. */
export function outcomeSummary(answer: ActionAnswer, action: ActionName, targets: string[]): string {
  if (answer.error) {
    return answer.error;
  }
  const done = answer.results.filter((r) => r.result === 'done');
  const as = answer.slurmUser ? ` as Slurm user ${answer.slurmUser}` : '';
  if (done.length === answer.results.length) {
    return `${DONE[action]} ${targetsText(action, targets)}${as}.`;
  }
  const failed = answer.results.filter((r) => r.result !== 'done');
  const first = failed[0];
  const prefix = answer.results.length === 1 ? '' : `${done.length} of ${answer.results.length} done. `;
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
  return `${prefix}${ACTION_LABELS[action]} ${targetsText(action, [first.target])} was ${first.result}${as}: ${first.message ?? 'no reason given'}${more}`;
}
