import { SceneAppPage, SceneFlexItem, VizPanel } from '@grafana/scenes';
import { AlertLog } from '../../components/AlertLog/AlertLog';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { pageScene } from '../../scenes/pageScene';
import { flexItem } from '../../scenes/panels';
import type { SceneContext } from '../../scenes/sceneContext';

/** Folder the app provisions its alert rules into (provisioning/alerting/rules-*.yaml). */
export const APP_RULES_FOLDER = 'HPC';

export function alertsPage(ctx: SceneContext): SceneAppPage {
  return new SceneAppPage({
    title: 'Alerts',
    subTitle: 'The alarm log: firing and pending alerts on Slurm state and node hardware',
    url: prefixRoute(ROUTES.Alerts),
    routePath: `${ROUTES.Alerts}/*`,
    getScene: () =>
      pageScene({
        ctx,
        body: () => [
          new SceneFlexItem({
            minHeight: 200,
            body: new AlertLog({ folder: APP_RULES_FOLDER, alertmanagerUid: ctx.alertmanagerUid }),
          }),
          flexItem(
            // Grafana's alert list: the rules themselves, including recently resolved state changes.
            new VizPanel({
              pluginId: 'alertlist',
              title: 'Alert rules',
              options: {
                viewMode: 'list',
                showInstances: true,
                maxItems: 50,
                sortOrder: 1,
                stateFilter: {
                  firing: true,
                  pending: true,
                  error: true,
                  noData: true,
                  normal: false,
                  recovering: true,
                },
              },
            }),
            400
          ),
        ],
      }),
  });
}
