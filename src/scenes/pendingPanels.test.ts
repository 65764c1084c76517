import { lastValueFrom, of } from 'rxjs';
import type { DataFrame } from '@grafana/data';
import { goldenFrames, jobsFrame } from '../testing/slurmFixtures';
import { categoryTitles, mergeExplanations } from './pendingPanels';

const pendingTable = (): DataFrame => ({ ...goldenFrames('pending')[0], refId: 'B' });

describe('pending panels', () => {
  it('adds each pending job’s explanation to the jobs table by job id, and nothing to running jobs', () => {
    const jobs = jobsFrame();
    const [merged] = mergeExplanations([jobs, pendingTable()]);
    const ids = merged.fields.find((f) => f.name === 'job_id')!.values;
    const states = merged.fields.find((f) => f.name === 'state_base')!.values;
    const why = merged.fields.find((f) => f.name === 'why_pending')!;
    expect(why.config.displayName).toBe('Why it waits');
    expect(merged.fields).toHaveLength(jobs.fields.length + 1);
    ids.forEach((id, i) => {
      if (states[i] === 'PENDING') {
        expect(why.values[i]).not.toBe('');
      } else {
        expect(why.values[i]).toBe('');
      }
    });
    // train_wait (5013) waits for two GPUs in the gpu partition in the 26.05.3 recording.
    expect(why.values[ids.indexOf('5013')]).toMatch(/^Waits for 1 node × 1 CPU, 2 GPUs/);
  });

  it('shows category titles where the backend counts by category code', async () => {
    const counts = goldenFrames('pending_counts_category')[0];
    const [out] = await lastValueFrom(categoryTitles()({ interpolate: (s: string) => s } as never)(of([counts])));
    const categories = out.fields.find((f) => f.name === 'category')!.values;
    expect(categories).toContain('Can never start');
    expect(categories).toContain('Waiting for resources');
    expect(categories).not.toContain('impossible');
  });
});
