// Fails the frontend build early, with a clear message, when an input the plugin archive needs is missing,
// a bundled dashboard is not valid JSON, or src/plugin.json includes a dashboard that does not exist.
// (A dashboard not yet listed in src/plugin.json is added to dist/plugin.json by webpack.config.ts, with a warning.)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const problems = [];

for (const file of ['README.md', 'CHANGELOG.md', 'LICENSE', 'src/plugin.json', 'src/datasource/plugin.json']) {
  if (!existsSync(path.join(root, file))) {
    problems.push(`${file} is missing: the plugin archive must contain it (the build copies it into dist/)`);
  }
}

const dashboardsDir = path.join(root, 'dashboards');
const onDisk = existsSync(dashboardsDir)
  ? readdirSync(dashboardsDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => `dashboards/${f}`)
  : [];

if (existsSync(path.join(root, 'src/plugin.json'))) {
  const plugin = JSON.parse(readFileSync(path.join(root, 'src/plugin.json'), 'utf8'));
  const included = (plugin.includes ?? []).filter((i) => i.type === 'dashboard').map((i) => i.path);
  for (const file of included) {
    if (!onDisk.includes(file)) {
      problems.push(`src/plugin.json includes ${file} but dashboards/ has no such file`);
    }
  }
  for (const file of onDisk) {
    try {
      JSON.parse(readFileSync(path.join(root, file), 'utf8'));
    } catch (e) {
      problems.push(`${file} is not valid JSON: ${e.message}`);
    }
  }
}

if (problems.length > 0) {
  console.error('Build inputs are not ready:\n  - ' + problems.join('\n  - '));
  process.exit(1);
}
console.log(`Build inputs OK (${onDisk.length} dashboards).`);
