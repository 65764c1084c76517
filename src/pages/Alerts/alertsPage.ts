import { EmbeddedScene, SceneAppPage, SceneFlexLayout, VizPanel } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { flexItem } from '../panels';

/** Grafana's own alert list panel: Slurm and hardware rules both live in Grafana alerting. */
export function alertsPage(): SceneAppPage {
  return new SceneAppPage({
    title: 'Alerts',
    subTitle: 'Firing and pending alert rules on Slurm state and node hardware',
    url: prefixRoute(ROUTES.Alerts),
    routePath: `${ROUTES.Alerts}/*`,
    getScene: () =>
      new EmbeddedScene({
        body: new SceneFlexLayout({
          direction: 'column',
          children: [
            flexItem(
              new VizPanel({
                pluginId: 'alertlist',
                title: 'Alert rules',
                options: {
                  viewMode: 'list',
                  showInstances: true,
                  maxItems: 50,
                  sortOrder: 1,
                  stateFilter: { firing: true, pending: true, error: true, noData: true, normal: false },
                },
              }),
              500
            ),
          ],
        }),
      }),
  });
}
