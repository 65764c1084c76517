import { SceneAppPage, SceneDataTransformer, SceneFlexLayout, type SceneAppDrilldownView } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { pageScene } from '../../scenes/pageScene';
import { contentItem, flexItem, slurmQueries, tableBuilder } from '../../scenes/panels';
import { BulkJobActions } from '../../components/Actions/ActionScenes';
import { pendingCountsGauge, withExplanations, type PendingFilters } from '../../scenes/pendingPanels';
import type { SceneContext } from '../../scenes/sceneContext';
import { csv, SlurmResourceVariable, textFilter } from '../../scenes/variables';
import { MyJobsToggle } from './MyJobsToggle';
import { JOB_TABLE_HIDDEN } from '../../scenes/tableColumns';
import type { JobFilters } from '../../datasource/types';

/** The filters of the Jobs page; each is a URL parameter (var-state=PENDING&var-user=alice…). */
export function jobFilterVariables(ctx: SceneContext) {
  const uid = ctx.slurm.uid!;
  return [
    new SlurmResourceVariable({ name: 'state', label: 'State', kind: 'states', datasourceUid: uid }),
    new SlurmResourceVariable({ name: 'partition', label: 'Partition', kind: 'partitions', datasourceUid: uid }),
    new SlurmResourceVariable({ name: 'user', label: 'User', kind: 'users', datasourceUid: uid }),
    new SlurmResourceVariable({ name: 'account', label: 'Account', kind: 'accounts', datasourceUid: uid }),
    new SlurmResourceVariable({ name: 'qos', label: 'QOS', kind: 'qos', datasourceUid: uid }),
    new SlurmResourceVariable({ name: 'node', label: 'Node', kind: 'nodes', datasourceUid: uid }),
    new SlurmResourceVariable({ name: 'reason', label: 'Reason', kind: 'reasons', datasourceUid: uid }),
    textFilter('name', 'Name (regex)'),
  ];
}

/** The page's filters for the pending query, which explains PENDING jobs only (no state filter). */
export function pendingFilters(): PendingFilters {
  const { states: _states, ...rest } = jobFilters();
  return rest;
}

/** The jobs query with every filter of the page; the backend splits the `a,b` lists. */
export function jobFilters(): JobFilters {
  return {
    states: csv('state'),
    partitions: csv('partition'),
    users: csv('user'),
    accounts: csv('account'),
    qos: csv('qos'),
    nodes: csv('node'),
    reasons: csv('reason'),
    nameRegex: '${name}',
  };
}

/** The Jobs page; `drilldowns` open a job from it (the app's route table wires the job page in). */
export function jobsPage(ctx: SceneContext, drilldowns: SceneAppDrilldownView[] = []): SceneAppPage {
  return new SceneAppPage({
    title: 'Jobs',
    subTitle: 'Search and filter the queue; open a job for its timeline, nodes and hardware',
    url: prefixRoute(ROUTES.Jobs),
    routePath: `${ROUTES.Jobs}/*`,
    getScene: () =>
      pageScene({
        ctx,
        variables: jobFilterVariables(ctx),
        controls: [new MyJobsToggle({ userVariable: 'user' })],
        body: () => [
          new SceneFlexLayout({
            children: [
              flexItem(
                pendingCountsGauge('Pending jobs by why they wait', ctx.slurm, pendingFilters(), ['category']),
                260
              ),
            ],
          }),
          // Grafana's table has no row selection: jobs are chosen among its rows here.
          contentItem(new BulkJobActions({ datasourceUid: ctx.slurm.uid!, tableTitle: 'Jobs' })),
          flexItem(
            tableBuilder('Jobs', JOB_TABLE_HIDDEN)
              .setData(
                // The queue, with each pending job's explanation (the pending query, B) as its "Why it waits" column.
                new SceneDataTransformer({
                  $data: slurmQueries(ctx.slurm, [
                    { refId: 'A', queryType: 'jobs', ...jobFilters(), sort: { field: 'submit_time', desc: true } },
                    { refId: 'B', queryType: 'pending', ...pendingFilters() },
                  ]),
                  transformations: [withExplanations('A', 'B')],
                })
              )
              .build(),
            600
          ),
        ],
      }),
    drilldowns,
  });
}
