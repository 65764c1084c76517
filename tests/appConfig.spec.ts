import { APP_ID, expect, skipWithoutGrafana, test } from './fixtures';

skipWithoutGrafana();

test('the app configuration shows the provisioned data sources and saves them', async ({ gotoAppConfigPage, page }) => {
  const configPage = await gotoAppConfigPage({ pluginId: APP_ID });
  await expect(page.getByText('Slurm clusters')).toBeVisible();
  await expect(page.getByText('Slurm', { exact: true }).first()).toBeVisible();

  // Provisioned settings are complete, so the form has no validation message and may be saved.
  await expect(page.getByText(/Choose at least one Slurm data source/)).toHaveCount(0);
  const saved = configPage.waitForSettingsResponse();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(saved).toBeOK();
});

test('the app configuration shows which exporters the provisioned Prometheus has', async ({
  gotoAppConfigPage,
  page,
}) => {
  await gotoAppConfigPage({ pluginId: APP_ID });
  // The local stack runs node_exporter; GPU, IPMI and Kubernetes series come from its simulator, when it runs.
  await expect(page.getByText('node_exporter: found')).toBeVisible();
  await expect(page.getByText(/^DCGM \(NVIDIA GPUs\): (found|not found)$/)).toBeVisible();
});
