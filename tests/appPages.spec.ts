import { APP_ID, expect, skipWithoutGrafana, test } from './fixtures';

skipWithoutGrafana();

// Each page, with the panel titles it must show. Slurm panels must get an answer from the data source
// (the backend reads slurmrestd), so each page also waits for a successful /api/ds/query.
const PAGES: Array<{ path: string; panels: string[]; queriesSlurm: boolean }> = [
  { path: '/overview', panels: ['Jobs by state', 'Nodes by state', 'Partitions'], queriesSlurm: true },
  { path: '/jobs', panels: ['Jobs'], queriesSlurm: true },
  { path: '/partitions', panels: ['Partitions'], queriesSlurm: true },
  { path: '/nodes', panels: ['Nodes'], queriesSlurm: true },
  { path: '/nodes/node01', panels: ['Node node01', 'CPU load of node01'], queriesSlurm: true },
  { path: '/alerts', panels: ['Alert rules'], queriesSlurm: false },
];

for (const { path, panels, queriesSlurm } of PAGES) {
  test(`app page ${path} renders its panels`, async ({ gotoAppPage, page, selectors }) => {
    const answered = queriesSlurm
      ? page.waitForResponse(
          (r) => r.url().includes('/api/ds/query') && r.request().postData()?.includes('"slurm"') === true
        )
      : undefined;
    const appPage = await gotoAppPage({ pluginId: APP_ID, path });
    for (const title of panels) {
      await expect(appPage.getByGrafanaSelector(selectors.components.Panels.Panel.title(title))).toBeVisible();
    }
    if (answered) {
      await expect(answered).toBeOK();
    }
  });
}

test('a job id that is not a Slurm job id is refused on the page', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId: APP_ID, path: '/jobs/1;drop' });
  await expect(page.getByText('"1;drop" is not a Slurm job id', { exact: false })).toBeVisible();
});
