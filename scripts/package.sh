#!/usr/bin/env bash
# Packs dist/ into hpc-slurm-app-<version>.zip with the single top-level folder hpc-slurm-app/,
# the layout Grafana and its plugin validator expect (the nested data source stays in datasource/).
#
#   npm run build && npm run package    # writes ./hpc-slurm-app-<version>.zip (gitignored)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

fail() {
  echo "package.sh: $*" >&2
  exit 1
}

plugin_id="$(node -p "require('./src/plugin.json').id")"
version="$(node -p "require('./package.json').version")"
zip_name="${plugin_id}-${version}.zip"

[[ -f dist/plugin.json && -f dist/module.js ]] || fail "dist/ has no built app (dist/plugin.json, dist/module.js): run 'npm run build' first"
[[ -f dist/datasource/plugin.json && -f dist/datasource/module.js ]] ||
  fail "dist/datasource/ has no built data source: run 'npm run build' first"
for arch in amd64 arm64; do
  [[ -x "dist/datasource/gpx_slurm_linux_${arch}" ]] ||
    fail "dist/datasource/gpx_slurm_linux_${arch} is missing or not executable: run 'npm run build:backend'"
done
if grep -q '%VERSION%' dist/plugin.json dist/datasource/plugin.json; then
  fail "dist plugin.json still holds %VERSION%: the frontend build did not finish"
fi
command -v zip >/dev/null 2>&1 || fail "the 'zip' command is missing (apt-get install zip)"

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
cp -a dist "$staging/$plugin_id"
rm -f "$zip_name"
# -X drops extra file attributes so the archive depends only on content; permissions (the binaries'
# executable bit) are kept, which Grafana needs to start the backend.
(cd "$staging" && zip -q -r -X "$repo_root/$zip_name" "$plugin_id")
echo "package.sh: wrote $zip_name ($(du -h "$zip_name" | cut -f1), sha1 $(sha1sum "$zip_name" | cut -d' ' -f1))"
