import {
  JOB_FIELDS as J,
  JOB_HISTORY_FIELDS as H,
  NODE_FIELDS as N,
  PARTITION_FIELDS as P,
} from '../frames/frameFields';

/**
 * Columns the app's tables leave out by default (the backend already hides the ones that repeat another,
 * pkg/query); Explore and a dashboard table still show them.
 */

/** When a job became eligible, GPUs asked for (the allocated count is shown), how it exited, where it ran from: on the job's page. */
export const JOB_TABLE_HIDDEN = [J.eligibleTime, J.gpusRequested, J.exitStatus, J.exitCode, J.workDir];

/** The node's address and free memory (as the OS reports it) are on the node's page. */
export const NODE_TABLE_HIDDEN = [N.address, N.memoryFreeMb];

/** The default time limit and idle GPUs (GPUs minus allocated) crowd the partitions table. */
export const PARTITION_TABLE_HIDDEN = [P.defaultTimeMinutes, P.gpusIdle];

/**
 * The job page's accounting record repeats none of the facts above it (who, where, when): it shows how the
 * job used what it was given — state, elapsed, CPU time, max RSS, both efficiencies and the exit.
 */
export const ACCOUNTING_RECORD_HIDDEN = [
  H.jobId,
  H.name,
  H.user,
  H.account,
  H.partition,
  H.qos,
  H.submitTime,
  H.startTime,
  H.endTime,
  H.nodes,
  H.cpus,
  H.memoryMb,
  H.gpus,
];
