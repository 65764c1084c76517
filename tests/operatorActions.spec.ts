import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { APP_ID, SLURM_UID, expect, skipWithoutGrafana, test } from './fixtures';

skipWithoutGrafana();

/** The local stack's settings (stack/up writes them), for sbatch next to the Grafana under test. */
function slurmConf(): string {
  const file = `${process.env.HPC_STACK_DIR ?? '/var/lib/hpc-slurm-stack'}/stack.env`;
  if (process.env.SLURM_CONF) {
    return process.env.SLURM_CONF;
  }
  if (!existsSync(file)) {
    throw new Error(
      `${file} is missing: this spec submits its own job to the local stack (stack/up) the Grafana reads`
    );
  }
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('SLURM_CONF='));
  return (line ?? '').slice('SLURM_CONF='.length).replace(/^["']|["']$/g, '');
}

/** A held job of alice that cannot start for an hour: the spec's own, so no seeded job is touched. */
function submitHeldJob(): string {
  const env = { ...process.env, SLURM_CONF: slurmConf() };
  const args = ['-H', '--begin=now+1hour', '--job-name=e2e_cancel', '--output=/dev/null', '--chdir=/tmp', '--time=10'];
  const out =
    process.getuid?.() === 0
      ? execFileSync('runuser', ['-u', 'alice', '--', 'sbatch', '--parsable', ...args, '--wrap=sleep 600'], { env })
      : execFileSync('sbatch', ['--parsable', ...args, '--wrap=sleep 600'], { env });
  return out.toString().trim().split(';')[0];
}

test('an operator cancels a job from the job page', async ({ gotoAppPage, page }) => {
  const jobId = submitHeldJob();
  await gotoAppPage({ pluginId: APP_ID, path: `/jobs/${jobId}` });
  const actions = page.getByRole('region', { name: 'Job actions' });
  // A held pending job offers release and cancel; the signed-in admin may do both.
  const cancel = actions.getByRole('button', { name: 'Cancel', exact: true });
  await expect(cancel).toBeEnabled();
  await expect(actions.getByRole('button', { name: 'Release', exact: true })).toBeEnabled();

  await cancel.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`Cancel job ${jobId}?`);
  const posted = page.waitForResponse(
    (r) =>
      r.request().method() === 'POST' &&
      r.url().includes(`/api/datasources/uid/${SLURM_UID}/resources/actions/jobs/${jobId}/cancel`)
  );
  await dialog.getByRole('button', { name: `Cancel job ${jobId}` }).click();
  await expect(posted).toBeOK();
  await expect(page.getByText(new RegExp(`Cancelled job ${jobId} as Slurm user`))).toBeVisible();
  // The page refreshes its queries: the job's state reads CANCELLED and it offers nothing to act on.
  await expect(page.getByLabel('Job', { exact: true })).toContainText('CANCELLED');
  await expect(actions).toContainText('The job has ended');
  await expect(actions.getByRole('button', { name: 'Cancel', exact: true })).toHaveCount(0);
});

test('the actions a user may not take are disabled and say why', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId: APP_ID, path: '/nodes/node01' });
  // Slurm 22.05's slurmrestd (API v0.0.38) has no node update: the button says so.
  const drain = page.getByRole('region', { name: 'Node actions' }).getByRole('button', { name: /Drain|Resume/ });
  await expect(drain.first()).toBeVisible();
  const capabilities = await page.request.get(`/api/datasources/uid/${SLURM_UID}/resources/actions/capabilities`);
  const caps = await capabilities.json();
  if (caps.apiVersion === 'v0.0.38') {
    await expect(drain.first()).toBeDisabled();
    await expect(drain.first()).toHaveAccessibleDescription(/unavailable on API v0\.0\.38/);
  } else {
    await expect(drain.first()).toBeEnabled();
  }
});
