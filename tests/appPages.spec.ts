import { APP_ID, SLURM_UID, expect, skipWithoutGrafana, test } from './fixtures';

skipWithoutGrafana();

// Each page with panel titles it must show. Slurm pages must get an answer from the data source (the
// backend reads slurmrestd of the local stack), so they also wait for a successful /api/ds/query.
const PAGES: Array<{ path: string; panels: string[]; queriesSlurm: boolean }> = [
  {
    path: '/overview',
    panels: ['Nodes by state', 'Jobs by state', 'CPUs allocated by partition', 'Cluster CPU use'],
    queriesSlurm: true,
  },
  { path: '/jobs', panels: ['Pending jobs by why they wait', 'Jobs'], queriesSlurm: true },
  {
    path: '/partitions',
    panels: [
      'Partitions',
      'CPUs allocated by partition',
      'What blocks the queue: pending jobs, CPUs and GPUs',
      'Jobs submitted and started (from accounting)',
    ],
    queriesSlurm: true,
  },
  { path: '/nodes', panels: ['Nodes'], queriesSlurm: true },
  {
    path: '/nodes/node01',
    panels: ['Jobs on node01', 'CPU load of node01', 'Temperatures (IPMI)'],
    queriesSlurm: true,
  },
  { path: '/alerts', panels: ['Alert rules'], queriesSlurm: false },
];

for (const { path, panels, queriesSlurm } of PAGES) {
  test(`app page ${path} renders its panels and the cluster picker`, async ({ gotoAppPage, page, selectors }) => {
    const answered = queriesSlurm
      ? page.waitForResponse(
          (r) => r.url().includes('/api/ds/query') && r.request().postData()?.includes(`"${SLURM_UID}"`) === true
        )
      : undefined;
    const appPage = await gotoAppPage({ pluginId: APP_ID, path });
    for (const title of panels) {
      await expect(appPage.getByGrafanaSelector(selectors.components.Panels.Panel.title(title))).toBeVisible();
    }
    await expect(page.getByText('Cluster', { exact: true })).toBeVisible();
    if (answered) {
      await expect(answered).toBeOK();
    }
  });
}

test('jobs filters come from the URL and reach the query', async ({ gotoAppPage, page }) => {
  const query = page.waitForRequest(
    (r) => r.url().includes('/api/ds/query') && /"states":"RUNNING"/.test(r.postData() ?? '')
  );
  // plugin-e2e 3.14's gotoAppPage takes no query parameters of its own: they go in the path.
  await gotoAppPage({ pluginId: APP_ID, path: '/jobs?var-state=RUNNING' });
  await query;
  await expect(page.getByText('RUNNING').first()).toBeVisible();
});

test('the jobs table titles its columns for people', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId: APP_ID, path: '/jobs' });
  const table = page.getByRole('grid').or(page.getByRole('table')).first();
  for (const title of ['Job', 'User', 'Partition', 'State', 'Time limit', 'Memory']) {
    await expect(table.getByRole('columnheader', { name: title, exact: true })).toBeVisible();
  }
  for (const field of ['array_job_id', 'state_base', 'time_limit_minutes']) {
    await expect(table.getByRole('columnheader', { name: field })).toHaveCount(0);
  }
});

test('"My jobs" puts the Grafana login into the user filter', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId: APP_ID, path: '/jobs' });
  await page.getByRole('switch', { name: /My jobs/ }).click({ force: true });
  await expect(page).toHaveURL(/var-user=admin/);
});

test('a job id in the jobs table opens the job page with its timeline', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId: APP_ID, path: '/jobs' });
  const firstJob = page.getByRole('link', { name: /^\d+(_\d+)?$/ }).first();
  // One link per cell (the backend's): a click opens the page, not a menu of links.
  await firstJob.click();
  await expect(page).toHaveURL(/\/a\/hpc-slurm-app\/jobs\/\d+(_\d+)?\?(.*&)?var-cluster=slurm/);
  await expect(page.getByRole('list', { name: 'Job timeline' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Job actions' })).toContainText('scontrol show job');
});

test('the node map draws the stack’s nodes, shows a node on hover and opens it on click', async ({
  gotoAppPage,
  page,
}) => {
  await gotoAppPage({ pluginId: APP_ID, path: '/nodes' });
  const map = page.getByRole('img', { name: /Allocation map of \d+ nodes/ });
  await expect(map).toBeVisible();
  // First cell of the first group, below its 20 px header (cells are at least 12 px).
  await map.hover({ position: { x: 5, y: 25 } });
  await expect(page.getByRole('tooltip')).toContainText(/node0\d/);
  await map.click({ position: { x: 5, y: 25 } });
  await expect(page).toHaveURL(/\/a\/hpc-slurm-app\/nodes\/node0\d\?var-cluster=slurm/);
  await expect(page.getByLabel('Node state')).toBeVisible();
});

test('the node map filter and grouping live in the URL', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId: APP_ID, path: '/nodes?groupBy=prefix' });
  await expect(page.getByRole('radio', { name: 'Name prefix' })).toBeChecked();
  await page.getByLabel('Filter nodes').fill('node05');
  await expect(page.getByText(/^1 of \d+ nodes match$/)).toBeVisible();
  await expect(page).toHaveURL(/nodeFilter=node05/);
});

test('the alerts page shows the alarm log of Grafana alerting and Alertmanager', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId: APP_ID, path: '/alerts' });
  await expect(
    page.getByRole('table', { name: 'Alarm log' }).or(page.getByText('No alerts are firing or pending.'))
  ).toBeVisible();
  await expect(page.getByText('Grafana alerting did not answer')).toHaveCount(0);
});

test('a job id that is not a Slurm job id is refused on the page', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId: APP_ID, path: '/jobs/1;drop' });
  await expect(page.getByText('"1;drop" is not a Slurm job id', { exact: false })).toBeVisible();
});
