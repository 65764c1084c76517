import { lastValueFrom } from 'rxjs';
import { CoreApp, type DataQueryRequest, type ScopedVars } from '@grafana/data';
import { setTemplateSrv, type TemplateSrv } from '@grafana/runtime';
import { CustomVariable, EmbeddedScene, SceneFlexLayout, SceneVariableSet, sceneGraph } from '@grafana/scenes';
import type { SlurmQuery, SlurmVariableQuery } from './types';
import { installSlurmBackend, newDataSource } from './testing/slurmBackend';
import { SlurmVariableSupport } from './variables';

/**
 * A dashboard with a multi-value `$user` (alice + bob) and `$partition` = gpu. Grafana's TemplateSrv
 * hands interpolation to Scenes when the request carries the scene (scopedVars.__sceneObject).
 */
function dashboard(): ScopedVars {
  const scene = new EmbeddedScene({
    $variables: new SceneVariableSet({
      variables: [
        new CustomVariable({ name: 'user', query: 'alice,bob,carol', value: ['alice', 'bob'], isMulti: true }),
        new CustomVariable({ name: 'partition', query: 'cpu,gpu', value: 'gpu' }),
      ],
    }),
    body: new SceneFlexLayout({ children: [] }),
  });
  setTemplateSrv({
    replace: (target?: string, scopedVars?: ScopedVars, format?: string) =>
      sceneGraph.interpolate(scene, target, scopedVars, format),
  } as TemplateSrv);
  return { __sceneObject: { value: scene, text: '__sceneObject' } };
}

describe('DataSource', () => {
  const datasource = newDataSource();

  it('starts a new query in Explore or a panel as the jobs table, without a limit of its own', () => {
    expect(datasource.getDefaultQuery(CoreApp.Explore)).toEqual({ queryType: 'jobs' });
    expect(datasource.getDefaultQuery(CoreApp.PanelEditor)).toEqual({ queryType: 'jobs' });
  });

  it('starts a new alert rule with job counts by state, which alerting can evaluate', () => {
    expect(datasource.getDefaultQuery(CoreApp.UnifiedAlerting)).toEqual({
      queryType: 'job_counts',
      groupBy: ['state'],
    });
  });

  it('does not send hidden queries or queries without a type', () => {
    expect(datasource.filterQuery({ refId: 'A', queryType: 'nodes' })).toBe(true);
    expect(datasource.filterQuery({ refId: 'A' })).toBe(false);
    expect(datasource.filterQuery({ refId: 'A', queryType: 'nodes', hide: true })).toBe(false);
  });

  it('takes the row ceiling from the settings, 10000 when unset', () => {
    expect(datasource.maxRows).toBe(10000);
    expect(newDataSource({ maxRows: 500 }).maxRows).toBe(500);
  });

  it('expands a multi-value variable in a list filter into one entry per value', () => {
    const scopedVars = dashboard();
    const query: SlurmQuery = {
      refId: 'A',
      queryType: 'jobs',
      users: ['$user', 'dave'],
      partitions: ['$partition'],
      nameRegex: '^${partition}-',
      limit: 10,
      sort: { field: 'user', desc: true },
    };
    expect(datasource.applyTemplateVariables(query, scopedVars)).toEqual({
      refId: 'A',
      queryType: 'jobs',
      users: ['alice', 'bob', 'dave'],
      partitions: ['gpu'],
      nameRegex: '^gpu-',
      limit: 10,
      sort: { field: 'user', desc: true },
    });
  });

  it('keeps an alert rule’s numeric scheduler query and its statistics as written', () => {
    const scopedVars = dashboard();
    const query: SlurmQuery = {
      refId: 'A',
      queryType: 'scheduler',
      format: 'numeric',
      statistics: ['schedule_cycle_last_us', 'agent_queue_size'],
    };
    expect(datasource.applyTemplateVariables(query, scopedVars)).toEqual(query);
  });

  it('resolves a list written as one string (a ${var:csv} or a comma list) to the comma list the backend splits', () => {
    const scopedVars = dashboard();
    const query: SlurmQuery = { refId: 'A', queryType: 'jobs', users: '${user:csv}', partitions: 'cpu,gpu' };
    expect(datasource.applyTemplateVariables(query, scopedVars)).toMatchObject({
      users: 'alice,bob',
      partitions: 'cpu,gpu',
    });
  });

  it('lists nodes of a partition through the variables resource, resolving $partition', async () => {
    const scopedVars = dashboard();
    const backend = installSlurmBackend({ 'variables/nodes?partition=gpu': ['node05', 'node06'] });
    const values = await datasource.metricFindQuery(
      { refId: 'V', kind: 'nodes', partition: '$partition' },
      { scopedVars }
    );
    expect(values).toEqual([
      { text: 'node05', value: 'node05' },
      { text: 'node06', value: 'node06' },
    ]);
    expect(backend.requests).toEqual(['variables/nodes?partition=gpu']);
  });

  it('answers a template variable query with a text/value frame', async () => {
    dashboard();
    installSlurmBackend({ 'variables/qos': ['high', 'normal'] });
    const request = {
      targets: [{ refId: 'V', kind: 'qos' }],
      scopedVars: {},
    } as unknown as DataQueryRequest<SlurmVariableQuery>;
    expect(datasource.variables).toBeInstanceOf(SlurmVariableSupport);
    const variables = datasource.variables as SlurmVariableSupport;
    const response = await lastValueFrom(variables.query(request));
    const [frame] = response.data;
    expect(frame.fields.map((f: { name: string; values: string[] }) => [f.name, f.values])).toEqual([
      ['text', ['high', 'normal']],
      ['value', ['high', 'normal']],
    ]);
  });

  it('sends annotation queries with queryType annotations and the chosen kind', () => {
    const prepared = datasource.annotations?.prepareQuery?.({
      name: 'Drains',
      enable: true,
      iconColor: 'red',
      target: { refId: 'Anno', kind: 'node_reasons', nodes: ['node02'] } as unknown as SlurmQuery,
    });
    expect(prepared).toEqual({ refId: 'Anno', queryType: 'annotations', kind: 'node_reasons', nodes: ['node02'] });
  });
});
