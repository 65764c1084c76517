import fs from 'fs';
import { FRAME_FIELDS } from './frameFields';
import { GOLDEN_DIR, goldenFrames } from '../testing/slurmFixtures';

// Every recorded Slurm version with golden frames (pkg/plugin/testdata/golden/<version>_<api>_<query>.jsonc).
const prefixes = [...new Set(fs.readdirSync(GOLDEN_DIR).map((f) => /^(\d[^_]*_v[\d.]+)_/.exec(f)?.[1]))].filter(
  (p): p is string => p !== undefined
);

describe('the field names the pages read exist in the backend’s frames', () => {
  it('finds golden frames for more than one Slurm version', () => {
    expect(prefixes.length).toBeGreaterThan(1);
  });

  for (const prefix of prefixes) {
    describe(prefix, () => {
      it.each(Object.entries(FRAME_FIELDS))('%s', (queryType, fields) => {
        const names = goldenFrames(queryType, prefix).flatMap((f) => f.fields.map((field) => field.name));
        const missing = Object.values(fields).filter((name) => !names.includes(name));
        expect(missing).toEqual([]);
      });
    });
  }
});
