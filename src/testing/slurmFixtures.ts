import fs from 'fs';
import path from 'path';
import { dataFrameFromJSON, type DataFrame, type DataFrameJSON } from '@grafana/data';

/**
 * The backend's own frames: pkg/plugin/testdata/golden holds what the data source answers for each query type
 * from the real slurmrestd answers recorded in pkg/slurm/testdata/slurmrestd (`go test ./pkg/plugin -run Golden -update`
 * writes them). The page tests read those, so a field the backend renames or drops breaks a page test
 * instead of leaving a column empty in Grafana; frameFields.test.ts checks every name the pages read.
 */
export const GOLDEN_DIR = path.resolve(__dirname, '../../pkg/plugin/testdata/golden');
export const GOLDEN_PREFIX = '26.05.3_v0.0.44';

/** The recorded slurmrestd answers the golden frames were made from (read only to patch in a later state). */
export const FIXTURE_DIR = path.resolve(__dirname, '../../pkg/slurm/testdata/slurmrestd/26.05.3/v0.0.44');

/** The frames of the backend's golden answer for `name` (a query type, or a golden case such as job_counts). */
export function goldenFrames(name: string, prefix = GOLDEN_PREFIX): DataFrame[] {
  const file = path.join(GOLDEN_DIR, `${prefix}_${name}.jsonc`);
  if (!fs.existsSync(file)) {
    throw new Error(`Golden frame ${file} is missing: run go test ./pkg/plugin -run Golden -update`);
  }
  // The SDK's golden file: a commented (//) table dump, then the JSON response {status, frames}.
  const json = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('//'))
    .join('\n');
  const frames: DataFrameJSON[] = JSON.parse(json).frames;
  return frames.map((f) => ({ ...dataFrameFromJSON(f), refId: 'A' }));
}

function golden(name: string): DataFrame {
  return goldenFrames(name)[0];
}

/**
 * `which`: queue (the backend's golden jobs frame: RUNNING and PENDING jobs) or finished: the same frame with
 * its first row replaced by the first finished job the recorded queue answer lists (COMPLETED 5001). The golden
 * jobs case asks for live jobs only, so the finished job's values are patched into a golden row through
 * withRow (only fields the backend has; its conventions: times in ms, BASE+FLAG state).
 */
export function jobsFrame(which: 'queue' | 'finished' = 'queue'): DataFrame {
  const frame = golden('jobs');
  if (which === 'queue') {
    return frame;
  }
  const answer = JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, 'jobs.json'), 'utf8'));
  const j = answer.jobs.find((job: any) => ['COMPLETED', 'FAILED', 'TIMEOUT'].includes(job.job_state[0]));
  const num = (v: any) => (v?.set && !v.infinite ? Number(v.number) : null);
  const ms = (v: any) => (num(v) === null ? null : num(v)! * 1000);
  const first = String(frame.fields.find((f) => f.name === 'job_id')!.values[0]);
  return withRow(frame, 'job_id', first, {
    job_id: String(j.job_id),
    state: j.job_state.join('+'),
    state_base: j.job_state[0],
    state_flags: j.job_state.slice(1).join(','),
    submit_time: ms(j.submit_time),
    eligible_time: ms(j.eligible_time),
    start_time: ms(j.start_time),
    end_time: ms(j.end_time),
    nodes: j.nodes,
    cpus: num(j.cpus),
    exit_status: j.exit_code.status[0],
    exit_code: num(j.exit_code.return_code),
  });
}

export function partitionsFrame(): DataFrame {
  return golden('partitions');
}

/**
 * `file`: nodes (the backend's golden nodes frame) or node_after_drain: the same frame with node04 as the
 * recording after `scontrol update state=drain` shows it (drained by root, with reason and when). There is no
 * golden answer for that recording, so its values are patched into the golden row: only fields the backend
 * has can be patched (withRow throws otherwise), with the backend's conventions (state BASE+FLAG).
 */
export function nodesFrame(file: 'nodes' | 'node_after_drain' = 'nodes'): DataFrame {
  const frame = golden('nodes');
  if (file === 'nodes') {
    return frame;
  }
  const answer = JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, `${file}.json`), 'utf8'));
  const n = answer.nodes[0];
  const changed = n.reason_changed_at;
  return withRow(frame, 'node', n.name, {
    state: n.state.join('+'),
    state_base: n.state[0],
    state_flags: n.state.slice(1).join(','),
    reason: n.reason,
    reason_set_by: n.reason_set_by_user,
    reason_time: changed?.set && !changed.infinite ? changed.number * 1000 : null,
  });
}

/** `frame` with the row whose `key` field is `value` changed by `patch`; every patched field must exist. */
export function withRow(frame: DataFrame, key: string, value: string, patch: Record<string, unknown>): DataFrame {
  const row = frame.fields.find((f) => f.name === key)!.values.indexOf(value);
  if (row < 0) {
    throw new Error(`no row with ${key} ${value}`);
  }
  for (const name of Object.keys(patch)) {
    if (!frame.fields.some((f) => f.name === name)) {
      throw new Error(`the backend's ${frame.name} frame has no field ${name}`);
    }
  }
  return {
    ...frame,
    fields: frame.fields.map((f) =>
      f.name in patch ? { ...f, values: f.values.map((v, i) => (i === row ? patch[f.name] : v)) } : f
    ),
  };
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
