import { expect, SLURM_UID, skipWithoutGrafana, test } from './fixtures';

skipWithoutGrafana();

test('the provisioned Slurm data source keeps its JWT key secret and passes its health check', async ({
  gotoDataSourceConfigPage,
  page,
}) => {
  const configPage = await gotoDataSourceConfigPage(SLURM_UID);
  await expect(page.getByRole('radio', { name: 'JWT key' })).toBeChecked();
  // The stored key is never sent back: the field only says it is configured.
  const key = page.getByPlaceholder('key bytes, base64');
  await expect(key).toBeDisabled();
  await expect(key).toHaveValue('configured');
  // CheckHealth runs in the backend against the provisioned slurmrestd.
  await expect(configPage.saveAndTest()).toBeOK();
});

test('a new Slurm data source explains what is missing', async ({ createDataSourceConfigPage, page }) => {
  await createDataSourceConfigPage({ type: 'hpc-slurm-datasource' });
  await expect(page.getByText(/URL is required/)).toBeVisible();
  await expect(page.getByText(/Slurm user is required/)).toBeVisible();

  await page.getByPlaceholder('http://127.0.0.1:6820').fill('ftp://example');
  await expect(page.getByText('URL scheme "ftp" is not supported; use http, https or unix')).toBeVisible();
  await page.getByPlaceholder('http://127.0.0.1:6820').fill('unix:///run/slurmrestd/slurmrestd.socket');
  await expect(page.getByText(/URL scheme/)).toHaveCount(0);
});
