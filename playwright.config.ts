import type { PluginOptions } from '@grafana/plugin-e2e';
import { defineConfig, devices, type LaunchOptions } from '@playwright/test';
import { dirname } from 'node:path';

// plugin-e2e specs run against a live Grafana that has this plugin and the repository's provisioning
// (data source uids `slurm` and `prometheus`). Without GRAFANA_URL every spec skips itself, and the
// login step that needs a Grafana is left out.
const grafanaUrl = process.env.GRAFANA_URL;
const pluginE2eAuth = `${dirname(require.resolve('@grafana/plugin-e2e'))}/auth`;

// A browser the machine already has (Debian: apt install chromium → /usr/bin/chromium) when Playwright's
// own download is not possible. The flags let it run headless as root and in a container: no sandbox (it
// needs user namespaces), /tmp instead of a small /dev/shm, no GPU.
const systemChromium = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH || process.env.CHROMIUM_PATH;
const launchOptions: LaunchOptions | undefined = systemChromium
  ? { executablePath: systemChromium, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] }
  : undefined;
const chromium = { ...devices['Desktop Chrome'], ...(launchOptions ? { launchOptions } : {}) };

export default defineConfig<PluginOptions>({
  testDir: './tests',
  testMatch: /.*\.spec\.ts$/,
  // tests/deploy holds Go tests of the deployment files, not Playwright specs.
  testIgnore: ['deploy/**'],
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? 'list' : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: grafanaUrl ?? 'http://localhost:3000',
    trace: 'on-first-retry',
  },
  projects: grafanaUrl
    ? [
        // Log in once as admin (GRAFANA_ADMIN_USER / GRAFANA_ADMIN_PASSWORD, default admin/admin) and reuse the cookie.
        { name: 'auth', testDir: pluginE2eAuth, testMatch: [/.*\.js/], testIgnore: [], use: chromium },
        {
          name: 'chromium',
          use: { ...chromium, storageState: 'playwright/.auth/admin.json' },
          dependencies: ['auth'],
        },
      ]
    : [{ name: 'chromium', use: chromium }],
});
