import { lastValueFrom } from 'rxjs';
import { FieldType, toDataFrame, transformDataFrame } from '@grafana/data';
import { appLink, slurmRow } from './panels';

const slurm = { type: 'hpc-slurm-datasource', uid: 'slurm' };

// The columns the backend's jobs frame carries (pkg/query/jobs.go): the key and the base state.
const jobs = toDataFrame({
  fields: [
    { name: 'job_id', type: FieldType.string, values: ['1', '2', '3', '4_1', '4_2'] },
    { name: 'state_base', type: FieldType.string, values: ['RUNNING', 'PENDING', 'RUNNING', 'PENDING', 'PENDING'] },
  ],
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

describe('appLink', () => {
  it('keeps the picked cluster in links to detail pages', () => {
    expect(appLink('jobs/42')).toBe('/a/hpc-slurm-app/jobs/42?var-cluster=${cluster}');
  });
});
