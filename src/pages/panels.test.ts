import { lastValueFrom } from 'rxjs';
import { FieldType, getFieldDisplayName, toDataFrame, transformDataFrame, type DataFrame } from '@grafana/data';
import { countByState, slurmRow } from './panels';

const slurm = { type: 'hpc-slurm-datasource', uid: 'slurm' };

// The columns the backend's jobs frame carries (pkg/query/jobs.go): the key and the base state.
const jobs = toDataFrame({
  fields: [
    { name: 'job_id', type: FieldType.string, values: ['1', '2', '3', '4_1', '4_2'] },
    { name: 'state_base', type: FieldType.string, values: ['RUNNING', 'PENDING', 'RUNNING', 'PENDING', 'PENDING'] },
  ],
});

async function countsOf(frame: DataFrame) {
  const transformer = countByState(slurm, 'jobs', 'job_id', 'jobs');
  const [out] = await lastValueFrom(transformDataFrame(transformer.state.transformations as never, [frame]));
  // organize renames for display (config.displayName), which is what the bar gauge shows.
  const byDisplayName = (name: string) => out.fields.find((f) => getFieldDisplayName(f, out) === name)!.values;
  const states = byDisplayName('state');
  const counts = byDisplayName('jobs');
  return Object.fromEntries(states.map((s: string, i: number) => [s, counts[i]]));
}

describe('countByState', () => {
  it('counts jobs per base state', async () => {
    expect(await countsOf(jobs)).toEqual({ RUNNING: 2, PENDING: 3 });
  });

  it('queries the chosen data source for the raw rows', () => {
    const transformer = countByState(slurm, 'nodes', 'node', 'nodes');
    expect(transformer.state.$data?.state).toMatchObject({
      datasource: slurm,
      queries: [{ refId: 'A', datasource: slurm, queryType: 'nodes' }],
    });
  });
});

describe('slurmRow', () => {
  it('keeps only the row of the requested job', async () => {
    const transformer = slurmRow(slurm, 'jobs', 'job_id', '4_1');
    const [out] = await lastValueFrom(transformDataFrame(transformer.state.transformations as never, [jobs]));
    expect(out.length).toBe(1);
    expect(out.fields.find((f) => f.name === 'job_id')!.values).toEqual(['4_1']);
    expect(out.fields.find((f) => f.name === 'state_base')!.values).toEqual(['PENDING']);
  });

  it('keeps nothing for a job that is not in the answer', async () => {
    const transformer = slurmRow(slurm, 'jobs', 'job_id', '99');
    const [out] = await lastValueFrom(transformDataFrame(transformer.state.transformations as never, [jobs]));
    expect(out.length).toBe(0);
  });
});
