import { screen, waitFor } from '@testing-library/react';
import { sceneGraph } from '@grafana/scenes';
import { installGrafana } from '../../testing/grafanaServices';
import { renderApp } from '../../testing/renderApp';
import { goldenFrames, partitionsFrame } from '../../testing/slurmFixtures';
import { answeredPanel, displayedValues, tableColumns } from '../../testing/sceneInspection';

const partitions = partitionsFrame();
const column = (name: string) => partitions.fields.find((f) => f.name === name)!.values;

function serve() {
  return installGrafana({
    slurm: (q) =>
      q.queryType === 'partitions'
        ? [partitions]
        : q.queryType === 'pending'
          ? goldenFrames(String(q.groupBy) === 'limit' ? 'pending_counts_limit' : 'pending_counts_category')
          : [],
    get: (url) =>
      url.endsWith('variables/partitions')
        ? [
            { text: 'cpu', value: 'cpu' },
            { text: 'gpu', value: 'gpu' },
          ]
        : { ageSeconds: 1, stale: false },
  });
}

describe('Partitions page', () => {
  it('asks for partitions, pending by partition and reason, and wait-time history, filtered from the URL', async () => {
    const recorded = serve();
    renderApp('/a/hpc-slurm-app/partitions?var-partition=gpu');
    expect(
      await screen.findByRole('heading', {
        level: 2,
        name: 'Wait time before start, 90th percentile (from accounting)',
      })
    ).toBeInTheDocument();
    await waitFor(() => expect(recorded.queries.some((q) => q.queryType === 'history_series')).toBe(true));
    expect(recorded.queries.find((q) => q.queryType === 'partitions' && q.partitions)).toMatchObject({
      partitions: 'gpu',
    });
    expect(recorded.queries.find((q) => q.queryType === 'job_counts')).toMatchObject({
      states: ['PENDING'],
      groupBy: ['partition', 'reason'],
      partitions: 'gpu',
    });
    const history = recorded.queries.filter((q) => q.queryType === 'history_series');
    // "Jobs submitted and started" asks for both.
    expect(history.map((q) => q.metric).sort()).toEqual(['started', 'submitted', 'wait_p90']);
    expect(history.every((q) => q.partitions === 'gpu')).toBe(true);
  });

  it('draws one bar per partition, named after it, and no GPU bar for a partition without GPUs', async () => {
    serve();
    renderApp('/a/hpc-slurm-app/partitions');
    const cpu = displayedValues(await answeredPanel('CPUs allocated by partition'));
    const names = column('partition') as string[];
    expect(cpu.map((b) => b.title)).toEqual(names);
    names.forEach((name, i) => {
      expect(cpu[i].value).toBeCloseTo(Number(column('cpus_allocated')[i]) / Number(column('total_cpus')[i]));
    });
    const withGpus = names.filter((_, i) => Number(column('gpus')[i]) > 0);
    expect(withGpus.length).toBeLessThan(names.length); // the recording has a partition without GPUs
    const gpu = displayedValues(await answeredPanel('GPUs allocated by partition'));
    expect(gpu.map((b) => b.title)).toEqual(withGpus);
    expect(gpu.every((b) => Number.isFinite(b.value))).toBe(true);
  });

  it('titles the partitions table for people and leaves out the rarely needed columns', async () => {
    serve();
    renderApp('/a/hpc-slurm-app/partitions');
    expect(await screen.findByRole('heading', { level: 2, name: 'Partitions' })).toBeInTheDocument();
    const columns = tableColumns(await answeredPanel('Partitions'));
    const shown = columns.filter((c) => !c.hidden);
    expect(shown.map((c) => c.title)).toEqual(
      expect.arrayContaining(['Partition', 'State', 'Node list', 'Nodes', 'CPUs', 'Max time', 'Pending jobs'])
    );
    // No snake_case header, no text copy of a number column, no default time limit.
    expect(shown.filter((c) => /_/.test(c.title))).toEqual([]);
    expect(shown.map((c) => c.name)).not.toContain('max_time');
    expect(shown.map((c) => c.name)).not.toContain('default_time_minutes');
    expect(columns.find((c) => c.name === 'max_time_minutes')).toMatchObject({ title: 'Max time', unit: 'm' });
  });

  it('shows what blocks the queue: pending jobs by partition and why they wait, and the limits holding jobs', async () => {
    const recorded = serve();
    renderApp('/a/hpc-slurm-app/partitions?var-partition=gpu');
    await answeredPanel('What blocks the queue: pending jobs, CPUs and GPUs');
    const pending = recorded.queries.filter((q) => q.queryType === 'pending');
    expect(pending).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          format: 'counts',
          groupBy: ['partition', 'category'],
          measure: 'jobs',
          partitions: 'gpu',
        }),
        expect.objectContaining({ format: 'counts', groupBy: ['partition', 'category'], partitions: 'gpu' }),
        expect.objectContaining({ format: 'counts', groupBy: ['limit'], categories: ['limit', 'impossible'] }),
      ])
    );
    const columns = tableColumns(await answeredPanel('What blocks the queue: pending jobs, CPUs and GPUs'));
    expect(columns.map((c) => c.title)).toEqual(
      expect.arrayContaining(['Pending jobs', 'CPUs requested', 'GPUs requested'])
    );
    // Only limits: the golden counts by limit hold "(none)" rows for jobs no limit holds.
    const limits = await answeredPanel('Pending jobs held by a limit: CPUs and GPUs they ask for');
    const rows = sceneGraph.getData(limits).state.data!.series[0];
    const names = rows.fields.find((f) => f.name === 'limit')!.values;
    expect(names).toEqual(['array 5014 ArrayTaskThrottle']);
  });
});
