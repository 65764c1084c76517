import { validateAppSettings } from './validateAppSettings';

describe('validateAppSettings', () => {
  const valid = { slurmDatasourceUids: ['slurm'], prometheusDatasourceUid: 'prometheus' };

  it('accepts the provisioned settings', () => {
    expect(validateAppSettings({ ...valid, nodeMapping: { mode: 'uname' } })).toEqual({});
  });

  it('needs at least one Slurm data source, ignoring empty rows', () => {
    expect(validateAppSettings({ ...valid, slurmDatasourceUids: [''] }).slurm).toMatch(/at least one Slurm/);
  });

  it('refuses the same cluster twice', () => {
    expect(validateAppSettings({ ...valid, slurmDatasourceUids: ['a', 'a'] }).slurm).toMatch(/duplicate/);
  });

  it('needs the Prometheus data source', () => {
    expect(validateAppSettings({ slurmDatasourceUids: ['slurm'] }).prometheus).toMatch(/Prometheus/);
  });

  it('needs a label name in label mode', () => {
    expect(validateAppSettings({ ...valid, nodeMapping: { mode: 'label', label: ' ' } }).nodeMapping).toMatch(/label/);
  });

  it('needs $node in a regex mapping and a pattern that compiles', () => {
    expect(validateAppSettings({ ...valid, nodeMapping: { mode: 'regex', regex: 'x:9100' } }).nodeMapping).toMatch(
      /containing \$node/
    );
    expect(validateAppSettings({ ...valid, nodeMapping: { mode: 'regex', regex: '($node' } }).nodeMapping).toMatch(
      /does not compile/
    );
    expect(validateAppSettings({ ...valid, nodeMapping: { mode: 'regex', regex: '$node:9100' } })).toEqual({});
  });
});
