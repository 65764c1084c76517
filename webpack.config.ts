// Extends create-plugin's generated config (never edited by hand, see .config/README.md): copies the
// bundled dashboards from the top-level dashboards/ folder and the nested data source's logo, and makes
// sure dist/plugin.json includes every bundled dashboard.
// Run with `webpack --disable-interpret`: Node 24 strips the types itself, whereas ts-node would reject
// the generated tsconfig (moduleResolution "bundler" with module "commonjs").
import CopyWebpackPlugin from 'copy-webpack-plugin';
import fs from 'fs';
import path from 'path';
import webpack, { type Compiler, type Configuration } from 'webpack';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

const DASHBOARDS_DIR = path.resolve(process.cwd(), 'dashboards');

interface Include {
  type: string;
  name?: string;
  path?: string;
}

/**
 * Grafana imports only the dashboards that plugin.json includes. src/plugin.json lists them by hand
 * (tests/deploy cross-checks that list); a dashboard added to dashboards/ but not yet listed is still
 * included in dist/plugin.json, with a build warning saying what to add to src/plugin.json.
 */
class IncludeBundledDashboards {
  apply(compiler: Compiler) {
    compiler.hooks.thisCompilation.tap('IncludeBundledDashboards', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'IncludeBundledDashboards', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => {
          const asset = compilation.getAsset('plugin.json');
          if (!asset || !fs.existsSync(DASHBOARDS_DIR)) {
            return;
          }
          const plugin = JSON.parse(asset.source.source().toString());
          const includes: Include[] = plugin.includes ?? [];
          const listed = new Set(includes.filter((i) => i.type === 'dashboard').map((i) => i.path));
          const files = fs
            .readdirSync(DASHBOARDS_DIR)
            .filter((f) => f.endsWith('.json'))
            .sort();
          const missing = files.filter((f) => !listed.has(`dashboards/${f}`));
          if (missing.length === 0) {
            return;
          }
          for (const file of missing) {
            const title = JSON.parse(fs.readFileSync(path.join(DASHBOARDS_DIR, file), 'utf8')).title ?? file;
            includes.push({ type: 'dashboard', name: title, path: `dashboards/${file}` });
            compilation.warnings.push(
              new webpack.WebpackError(
                `dashboards/${file} is not listed in src/plugin.json; included in dist/plugin.json as "${title}". Add {"type": "dashboard", "name": "${title}", "path": "dashboards/${file}"} to src/plugin.json.`
              )
            );
          }
          plugin.includes = includes;
          compilation.updateAsset('plugin.json', new webpack.sources.RawSource(JSON.stringify(plugin, null, 2) + '\n'));
        }
      );
    });
  }
}

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    // Scenes alone is ~450 KiB minified and loads lazily with the app's pages; warn only beyond that.
    performance: { maxAssetSize: 600 * 1024, maxEntrypointSize: 600 * 1024 },
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          { from: path.join(DASHBOARDS_DIR, '*.json'), to: 'dashboards/[name][ext]' },
          // context is src/
          { from: 'datasource/img', to: 'datasource/img' },
        ],
      }),
      new IncludeBundledDashboards(),
    ],
  });
};

export default config;
