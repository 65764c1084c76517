#!/usr/bin/env bash
# Checks everything Prometheus-side that the project ships, with Prometheus' own tools:
#   - promtool check config on the stack's and the demo's Prometheus configs (this also checks
#     the rule files they load), amtool check-config on the Alertmanager configs;
#   - promtool check rules and promtool test rules (cases that fire and cases that must not);
#   - every alert has at least one test, every rule file has its test file;
#   - the query check: every PromQL expression of dashboards/ and rules/ evaluated against a real
#     Prometheus loaded with realistic exporter series (scripts/querycheck), unless QUERYCHECK=0.
# promtool/amtool/prometheus come from Debian's prometheus and prometheus-alertmanager packages
# (stack/install installs them). Exits non-zero on the first failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here"

command -v promtool >/dev/null || { echo "prometheus/test.sh: promtool not found; install Debian's prometheus package (stack/install does)" >&2; exit 1; }

step() { printf '\n== %s\n' "$*"; }

step "promtool check config"
for cfg in prometheus.yml prometheus.compose.yml; do
  [[ -f $cfg ]] || { echo "prometheus/test.sh: $cfg is missing" >&2; exit 1; }
  promtool check config "$cfg"
done

if command -v amtool >/dev/null; then
  step "amtool check-config"
  for cfg in alertmanager*.yml; do amtool check-config "$cfg"; done
else
  echo "amtool not found: Alertmanager configs not checked (Debian package prometheus-alertmanager)" >&2
  exit 1
fi

shopt -s nullglob
rules=(rules/*.yml)
tests=(tests/*_test.yml)
((${#rules[@]})) || { echo "prometheus/test.sh: no rule files in prometheus/rules" >&2; exit 1; }

step "promtool check rules"
promtool check rules "${rules[@]}"

step "every rule file and every alert has tests"
missing=0
for r in "${rules[@]}"; do
  t="tests/$(basename "${r%.yml}")_test.yml"
  [[ -f $t ]] || { echo "  $r has no test file $t" >&2; missing=1; }
  while read -r alert; do
    grep -qE "alertname: *${alert}\$" "${tests[@]}" || { echo "  alert $alert ($r) is not tested" >&2; missing=1; }
  done < <(sed -nE 's/^ *- alert: *([A-Za-z0-9_]+).*/\1/p' "$r")
done
((missing == 0)) || exit 1
echo "  ${#rules[@]} rule files, all alerts tested"

step "promtool test rules"
promtool test rules "${tests[@]}"

if [[ ${QUERYCHECK:-1} != 0 ]]; then
  step "query check (dashboards and rules against a real Prometheus)"
  (cd "$root" && go run ./scripts/querycheck)
fi
echo
echo "prometheus/test.sh: all checks passed"
