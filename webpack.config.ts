// Extends create-plugin's generated config (never edited by hand, see .config/README.md): copies the
// bundled dashboards from the top-level dashboards/ folder and the nested data source's logo.
// Run with `webpack --disable-interpret`: Node 24 strips the types itself, whereas ts-node would reject
// the generated tsconfig (moduleResolution "bundler" with module "commonjs").
import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    // Scenes alone is ~450 KiB minified and loads lazily with the app's pages; warn only beyond that.
    performance: { maxAssetSize: 600 * 1024, maxEntrypointSize: 600 * 1024 },
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          // context is src/, so ../dashboards is the repository's dashboards/ folder
          { from: path.resolve(process.cwd(), 'dashboards', '*.json'), to: 'dashboards/[name][ext]' },
          { from: 'datasource/img', to: 'datasource/img' },
        ],
      }),
    ],
  });
};

export default config;
