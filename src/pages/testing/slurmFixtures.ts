import fs from 'fs';
import path from 'path';
import { FieldType, toDataFrame, type DataFrame } from '@grafana/data';

/**
 * Frames with the backend's field names (the query model contract of issue 4), built from the real
 * slurmrestd answers recorded in ../shared/fixtures (never copied into the repo). This is a test-only
 * reading of those answers, just enough for the pages; the backend's own normalisation is tested in Go.
 */
export const FIXTURE_DIR = path.resolve(__dirname, '../../../../shared/fixtures/slurmrestd/26.05.3/v0.0.44');

function read(name: string): any {
  const file = path.join(FIXTURE_DIR, `${name}.json`);
  if (!fs.existsSync(file)) {
    throw new Error(
      `Recorded slurmrestd fixture ${file} is missing: the frontend tests read ../shared/fixtures/slurmrestd ` +
        '(a checkout of the shared fixtures next to the repo).'
    );
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** slurmrestd's {set, infinite, number}: null when unset or infinite (the contract's "unlimited"). */
function num(v: any): number | null {
  if (v && typeof v === 'object' && 'set' in v) {
    return v.set && !v.infinite ? v.number : null;
  }
  return typeof v === 'number' ? v : null;
}

function timeMs(v: any): number | null {
  const s = num(v);
  return s ? s * 1000 : null;
}

function tres(str: string | undefined, key: string): number {
  const m = new RegExp(`(?:^|,)${key}=(\\d+)`).exec(str ?? '');
  return m ? Number(m[1]) : 0;
}

/** GPUs from a GRES string such as "gpu:a100:2(S:0)". */
function gresGpus(gres: string | undefined): number {
  const m = /gpu(?::[^:,()]+)?:(\d+)/.exec(gres ?? '');
  return m ? Number(m[1]) : 0;
}

export function jobsFrame(): DataFrame {
  const jobs: any[] = read('jobs').jobs;
  const col = (name: string, type: FieldType, get: (j: any) => unknown) => ({ name, type, values: jobs.map(get) });
  const arrayTask = (j: any) =>
    num(j.array_task_id) !== null ? `${num(j.array_job_id)}_${num(j.array_task_id)}` : String(j.job_id);
  return toDataFrame({
    refId: 'A',
    fields: [
      col('job_id', FieldType.string, arrayTask),
      col('array_job_id', FieldType.string, (j) => (num(j.array_job_id) ? String(num(j.array_job_id)) : null)),
      col('name', FieldType.string, (j) => j.name),
      col('user', FieldType.string, (j) => j.user_name),
      col('account', FieldType.string, (j) => j.account),
      col('partition', FieldType.string, (j) => j.partition),
      col('qos', FieldType.string, (j) => j.qos),
      col('state', FieldType.string, (j) => j.job_state.join(',')),
      col('state_base', FieldType.string, (j) => j.job_state[0]),
      col('reason', FieldType.string, (j) => j.state_reason),
      col('submit_time', FieldType.time, (j) => timeMs(j.submit_time)),
      col('eligible_time', FieldType.time, (j) => timeMs(j.eligible_time)),
      col('start_time', FieldType.time, (j) => timeMs(j.start_time)),
      col('end_time', FieldType.time, (j) => timeMs(j.end_time)),
      col('time_limit', FieldType.number, (j) => (num(j.time_limit) === null ? null : num(j.time_limit)! * 60)),
      col('nodes', FieldType.string, (j) => j.nodes || null),
      col('node_count', FieldType.number, (j) => num(j.node_count)),
      col('cpus', FieldType.number, (j) => num(j.cpus)),
      col('memory_mb', FieldType.number, (j) => tres(j.tres_alloc_str || j.tres_req_str, 'mem')),
      col('gpus', FieldType.number, (j) => tres(j.tres_alloc_str || j.tres_req_str, 'gres/gpu')),
      col('priority', FieldType.number, (j) => num(j.priority)),
      col('exit_code', FieldType.number, (j) => num(j.exit_code?.return_code)),
      col('work_dir', FieldType.string, (j) => j.current_working_directory),
    ],
  });
}

/** `file`: nodes (GET /nodes) or node_after_drain (node04 drained by root, with reason, who and when). */
export function nodesFrame(file = 'nodes'): DataFrame {
  const nodes: any[] = read(file).nodes;
  const col = (name: string, type: FieldType, get: (n: any) => unknown) => ({ name, type, values: nodes.map(get) });
  return toDataFrame({
    refId: 'A',
    fields: [
      col('node', FieldType.string, (n) => n.name),
      col('state', FieldType.string, (n) => n.state.join(',')),
      col('state_base', FieldType.string, (n) => n.state[0]),
      col('state_flags', FieldType.string, (n) => n.state.slice(1).join(',')),
      col('reason', FieldType.string, (n) => n.reason || null),
      col('reason_set_by', FieldType.string, (n) => n.reason_set_by_user || null),
      col('reason_time', FieldType.time, (n) => timeMs(n.reason_changed_at)),
      col('partitions', FieldType.string, (n) => n.partitions.join(',')),
      col('cpus', FieldType.number, (n) => n.cpus),
      col('cpus_alloc', FieldType.number, (n) => n.alloc_cpus),
      col('cpu_load', FieldType.number, (n) => n.cpu_load / 100),
      col('memory_mb', FieldType.number, (n) => n.real_memory),
      col('memory_alloc_mb', FieldType.number, (n) => n.alloc_memory),
      col('memory_free_mb', FieldType.number, (n) => num(n.free_mem)),
      col('gpus', FieldType.number, (n) => gresGpus(n.gres)),
      col('gpus_alloc', FieldType.number, (n) => gresGpus(n.gres_used)),
      col('features', FieldType.string, (n) => n.features.join(',')),
      col('address', FieldType.string, (n) => n.address),
    ],
  });
}

export function partitionsFrame(): DataFrame {
  const parts: any[] = read('partitions').partitions;
  const col = (name: string, type: FieldType, get: (p: any) => unknown) => ({ name, type, values: parts.map(get) });
  return toDataFrame({
    refId: 'A',
    fields: [
      col('partition', FieldType.string, (p) => p.name),
      col('state', FieldType.string, (p) => p.partition?.state?.join(',') ?? null),
      col('nodes', FieldType.string, (p) => p.nodes.configured),
      col('node_count', FieldType.number, (p) => p.nodes.total),
      col('cpus', FieldType.number, (p) => p.cpus.total),
      col('max_time', FieldType.number, (p) => (num(p.maximums.time) === null ? null : num(p.maximums.time)! * 60)),
    ],
  });
}

/** The rows of a frame whose `field` is one of `values` (what the backend's id filters answer). */
export function rowsWhere(frame: DataFrame, field: string, values: string[]): DataFrame {
  const keys = frame.fields.find((f) => f.name === field)!.values;
  const idx = keys.flatMap((v, i) => (values.includes(String(v)) ? [i] : []));
  return {
    ...frame,
    length: idx.length,
    fields: frame.fields.map((f) => ({ ...f, values: idx.map((i) => f.values[i]) })),
  };
}
