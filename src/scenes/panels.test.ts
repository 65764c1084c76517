import { lastValueFrom } from 'rxjs';
import { transformDataFrame, type DataFrame } from '@grafana/data';
import { appLink, slurmQuery, slurmRow } from './panels';
import { goldenFrames, jobsFrame, nodesFrame } from '../testing/slurmFixtures';

const slurm = { type: 'hpc-slurm-datasource', uid: 'slurm' };

// The backend's own frames: job_id and node carry the display names Job and Node, which a display-name
// match (Grafana's filterByValue) would miss.
const jobs = jobsFrame();
const column = (frame: DataFrame, name: string) => frame.fields.find((f) => f.name === name)!.values;

describe('slurmRow', () => {
  it('keeps only the row of the requested job', async () => {
    const transformer = slurmRow(slurm, { queryType: 'jobs' }, 'job_id', '5014_1');
    const [out] = await lastValueFrom(transformDataFrame(transformer.state.transformations as never, [jobs]));
    expect(out.length).toBe(1);
    expect(column(out, 'job_id')).toEqual(['5014_1']);
    expect(column(out, 'array_task_id')).toEqual([1]);
  });

  it('keeps nothing for a job that is not in the answer', async () => {
    const transformer = slurmRow(slurm, { queryType: 'jobs' }, 'job_id', '99');
    const [out] = await lastValueFrom(transformDataFrame(transformer.state.transformations as never, [jobs]));
    expect(out.length).toBe(0);
  });

  it('finds a node and an accounting record by their key fields', async () => {
    const node = slurmRow(slurm, { queryType: 'nodes' }, 'node', 'node03');
    const [nodes] = await lastValueFrom(transformDataFrame(node.state.transformations as never, [nodesFrame()]));
    expect(column(nodes, 'node')).toEqual(['node03']);
    const history = goldenFrames('job_history');
    const id = String(column(history[0], 'job_id')[0]);
    const record = slurmRow(slurm, { queryType: 'job_history' }, 'job_id', id);
    const [out] = await lastValueFrom(transformDataFrame(record.state.transformations as never, history));
    expect(column(out, 'job_id')).toEqual([id]);
  });
});

describe('slurmQuery', () => {
  it('sends the typed query with refId A and the data source', () => {
    const runner = slurmQuery(slurm, {
      queryType: 'jobs',
      users: '${user:csv}',
      sort: { field: 'priority', desc: true },
    });
    expect(runner.state.queries).toEqual([
      {
        refId: 'A',
        datasource: slurm,
        queryType: 'jobs',
        users: '${user:csv}',
        sort: { field: 'priority', desc: true },
      },
    ]);
  });

  // Checked by `npm run typecheck`: each directive fails the check if its line stops being an error, so a
  // page query can only name fields and values of the data source's query model (src/datasource/types.ts).
  it('takes only the fields and values the query type has', () => {
    // @ts-expect-error `user` is not a field of a jobs query (`users` is)
    slurmQuery(slurm, { queryType: 'jobs', user: 'alice' });
    // @ts-expect-error a jobs table cannot be sorted by `node`
    slurmQuery(slurm, { queryType: 'jobs', sort: { field: 'node' } });
    // @ts-expect-error `groupBy` belongs to the count types, not to `nodes`
    slurmQuery(slurm, { queryType: 'nodes', groupBy: ['state'] });
    // @ts-expect-error `job` is not a query type
    slurmQuery(slurm, { queryType: 'job' });
    expect(slurmQuery(slurm, { queryType: 'node_counts', groupBy: ['reason'] }).state.queries).toHaveLength(1);
  });
});

describe('appLink', () => {
  it('keeps the picked cluster in links to detail pages', () => {
    expect(appLink('jobs/42')).toBe('/a/hpc-slurm-app/jobs/42?var-cluster=${cluster}');
  });
});
