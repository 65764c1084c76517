#!/usr/bin/env bash
# Packs dist/ (scripts/package.sh, so the archive always matches the build) and validates
# hpc-slurm-app-<version>.zip in three steps:
#   1. the archive as Grafana and its catalog read it: one top-level folder named after the app, the
#      nested data source with both backend binaries (executable), README.md, CHANGELOG.md, LICENSE,
#      logos, screenshots and dashboards present, versions matching package.json, catalog metadata
#      (description, keywords, links) filled in and a README without developer jargon;
#   2. gosec exactly as the validator's go-sec analyzer runs it (HIGH severity, whole source tree),
#      installed from the Go module proxy (GOSEC_VERSION); any finding fails;
#   3. Grafana's own plugin validator, plugincheck2 (PLUGINCHECK2_VERSION), with the analyzers that
#      need the network disabled (scripts/plugincheck2.yaml). Its npm wrapper downloads from GitHub,
#      so it is installed as a Go module through the Go module proxy into .tools/bin (not go.mod).
# An unsigned plugin earns a signature warning from plugincheck2: fine. Errors fail the run.
#
#   npm run build && npm run validate
#   PLUGINCHECK2_VERSION=vX.Y.Z npm run validate    # another validator release
#   PLUGINCHECK2_OPTIONAL=1 npm run validate        # steps 1 and 2, and only a warning when
#                                                   # plugincheck2 cannot be installed
set -euo pipefail

PLUGINCHECK2_VERSION="${PLUGINCHECK2_VERSION:-v0.45.6}"
GOSEC_VERSION="${GOSEC_VERSION:-v2.30.0}"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

fail() {
  echo "validate.sh: $*" >&2
  exit 1
}

plugin_id="$(node -p "require('./src/plugin.json').id")"
version="$(node -p "require('./package.json').version")"
zip_name="${plugin_id}-${version}.zip"
bash "$repo_root/scripts/package.sh"
command -v unzip >/dev/null 2>&1 || fail "the 'unzip' command is missing (apt-get install unzip)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
unzip -q "$zip_name" -d "$work"

# 1. Archive structure. Each message names the file and what is wrong with it.
node - "$work" "$plugin_id" "$version" <<'NODE'
const fs = require('fs');
const path = require('path');
const [dir, pluginId, version] = process.argv.slice(2);
const problems = [];
const top = fs.readdirSync(dir);
if (top.length !== 1 || top[0] !== pluginId) {
  problems.push(`archive must hold exactly one top-level folder "${pluginId}/", found: ${top.join(', ')}`);
}
const root = path.join(dir, pluginId);
const need = (rel) => {
  const p = path.join(root, rel);
  if (!fs.existsSync(p)) {
    problems.push(`${rel} is missing`);
    return undefined;
  }
  return p;
};
const readJson = (rel) => {
  const p = need(rel);
  if (!p) return undefined;
  try {
    return JSON.parse(fs.readFileSync(p, 'utf8'));
  } catch (e) {
    problems.push(`${rel} is not valid JSON: ${e.message}`);
    return undefined;
  }
};
for (const f of ['README.md', 'CHANGELOG.md', 'LICENSE', 'module.js', 'datasource/module.js']) need(f);
const app = readJson('plugin.json');
const ds = readJson('datasource/plugin.json');
if (app) {
  if (app.id !== pluginId || app.type !== 'app') problems.push(`plugin.json must be app "${pluginId}", is ${app.type} "${app.id}"`);
  if (app.backend || app.executable) problems.push('plugin.json (the app) must not declare a backend: only the nested data source has one');
  if (app.info?.version !== version) problems.push(`plugin.json version is "${app.info?.version}", package.json says "${version}"`);
  if (app.dependencies?.grafanaDependency !== '>=12.4.0') problems.push('plugin.json grafanaDependency must be ">=12.4.0"');
  for (const inc of app.includes ?? []) {
    if (inc.type === 'dashboard') need(inc.path);
  }
  // Grafana's validator (includesnested) requires every nested plugin.json to be an include with its
  // path and the same type.
  const nested = (app.includes ?? []).find((i) => i.path === 'datasource/plugin.json');
  if (!nested) problems.push('plugin.json does not include the nested data source (path "datasource/plugin.json")');
  else if (nested.type !== 'datasource') problems.push(`plugin.json includes datasource/plugin.json as type "${nested.type}", not "datasource"`);
  for (const logo of [app.info?.logos?.small, app.info?.logos?.large]) if (logo) need(logo);
  const shots = app.info?.screenshots ?? [];
  if (shots.length === 0) problems.push('plugin.json has no info.screenshots: the plugin catalog shows none');
  for (const shot of shots) if (shot.path) need(shot.path);
}
// What the plugin catalog shows and indexes (the validator's discoverability, links and jargon checks).
for (const [rel, meta] of [['plugin.json', app], ['datasource/plugin.json', ds]]) {
  if (!meta) continue;
  if (!meta.info?.description) problems.push(`${rel} has no info.description`);
  if (!(meta.info?.keywords ?? []).length) problems.push(`${rel} has no info.keywords`);
  if (!/^https:\/\//.test(meta.info?.author?.url ?? '')) problems.push(`${rel} info.author.url must be an https URL`);
  const links = meta.info?.links ?? [];
  for (const want of ['Documentation', 'Issues', 'Source code']) {
    if (!links.some((l) => l.name === want && /^https:\/\//.test(l.url ?? ''))) problems.push(`${rel} info.links has no https "${want}" link`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(meta.info?.updated ?? '')) problems.push(`${rel} info.updated is "${meta.info?.updated}", not a date`);
}
const readme = fs.existsSync(path.join(root, 'README.md')) ? fs.readFileSync(path.join(root, 'README.md'), 'utf8') : '';
for (const word of ['yarn', 'nodejs', '%VERSION%', '%TODAY%']) {
  if (readme.includes(word)) problems.push(`README.md (the catalog page) contains "${word}"`);
}
for (const [, img] of readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
  if (!/^https?:/.test(img)) need(img);
}
if (ds) {
  const want = { id: 'hpc-slurm-datasource', type: 'datasource', backend: true, alerting: true, annotations: true, metrics: true, executable: 'gpx_slurm' };
  for (const [k, v] of Object.entries(want)) {
    if (ds[k] !== v) problems.push(`datasource/plugin.json "${k}" must be ${JSON.stringify(v)}, is ${JSON.stringify(ds[k])}`);
  }
  if (ds.info?.version !== version) problems.push(`datasource/plugin.json version is "${ds.info?.version}", package.json says "${version}"`);
  for (const logo of [ds.info?.logos?.small, ds.info?.logos?.large]) if (logo) need(path.join('datasource', logo));
  for (const arch of ['amd64', 'arm64']) {
    const bin = need(`datasource/${ds.executable}_linux_${arch}`);
    if (bin && (fs.statSync(bin).mode & 0o111) === 0) problems.push(`datasource/${ds.executable}_linux_${arch} is not executable`);
  }
}
if (problems.length > 0) {
  console.error('validate.sh: archive problems:\n  - ' + [...new Set(problems)].join('\n  - '));
  process.exit(1);
}
console.log('validate.sh: archive OK (app, nested data source, both binaries, metadata files, dashboards, screenshots, catalog fields)');
NODE

# 2. gosec as the validator's go-sec analyzer runs it: -severity HIGH over the whole source tree.
#    `go run module@version` builds it from the Go module proxy without touching go.mod.
echo "validate.sh: running gosec $GOSEC_VERSION (HIGH severity, as plugincheck2's go-sec analyzer)"
if ! gosec_out="$(go run "github.com/securego/gosec/v2/cmd/gosec@$GOSEC_VERSION" -quiet -severity high -fmt text ./... 2>&1)"; then
  printf '%s\n' "$gosec_out" >&2
  fail "gosec reported HIGH severity findings (fix them, or mark one with '#nosec Gxxx -- reason')"
fi
echo "validate.sh: gosec found no HIGH severity issue"

# 3. Grafana's plugin validator.
validator="$repo_root/.tools/bin/plugincheck2"
version_stamp="$repo_root/.tools/bin/plugincheck2.version"
if [[ ! -x "$validator" ]] || [[ "$(cat "$version_stamp" 2>/dev/null)" != "$PLUGINCHECK2_VERSION" ]]; then
  echo "validate.sh: installing plugincheck2 $PLUGINCHECK2_VERSION into .tools/bin (Go module proxy)"
  mkdir -p "$repo_root/.tools/bin"
  # GOFLAGS=-mod=mod and a neutral directory keep the project's go.mod out of it.
  if install_log="$(cd "$work" && GOFLAGS=-mod=mod GOBIN="$repo_root/.tools/bin" \
    go install "github.com/grafana/plugin-validator/pkg/cmd/plugincheck2@$PLUGINCHECK2_VERSION" 2>&1)"; then
    echo "$PLUGINCHECK2_VERSION" >"$version_stamp"
  else
    echo "validate.sh: could not install plugincheck2 $PLUGINCHECK2_VERSION:" >&2
    printf '    %s\n' "${install_log//$'\n'/$'\n    '}" >&2
    if [[ "${PLUGINCHECK2_OPTIONAL:-}" == "1" ]]; then
      echo "validate.sh: WARNING: plugincheck2 did NOT run (PLUGINCHECK2_OPTIONAL=1); the archive and gosec checks above passed" >&2
      exit 0
    fi
    fail "plugincheck2 is unavailable; set PLUGINCHECK2_VERSION to a release the Go module proxy serves"
  fi
fi

echo "validate.sh: running plugincheck2 $PLUGINCHECK2_VERSION with scripts/plugincheck2.yaml (network analyzers off)"
set +e
"$validator" -config "$repo_root/scripts/plugincheck2.yaml" -sourceCodeUri "file://$repo_root" "$zip_name"
status=$?
set -e
# plugincheck2 exits non-zero only for errors (warnings need -strict), e.g. the unsigned-plugin warning.
[[ $status -eq 0 ]] || fail "plugincheck2 reported errors (exit $status)"
echo "validate.sh: plugincheck2 found no errors"
