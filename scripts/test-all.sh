#!/usr/bin/env bash
# One command for every test of the project, on a fresh Debian 12 machine or a warm one.
# It installs what it needs (Debian packages, Node 24, npm and Go modules), runs the
# static checks and unit tests, builds and validates the plugin, then brings up the real
# local stack (Slurm, slurmrestd, MariaDB, Prometheus, node_exporter, Alertmanager) for the
# integration tests and always takes it down again. `.ci/run` calls exactly this.
#
# Usage: scripts/test-all.sh            (as root: the stack installs Debian packages)
#        SKIP_STACK=1 scripts/test-all.sh   (static checks, unit tests and build only)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

declare -a PHASES=()
STARTED_AT=$SECONDS
STACK_STARTED=0

phase() {
  # phase <name> <command...>: run one step, print its duration, stop on failure.
  local name=$1; shift
  local t0=$SECONDS
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  if "$@"; then
    PHASES+=("$(printf '%-34s %5ss  ok' "$name" $((SECONDS - t0)))")
  else
    local rc=$?
    PHASES+=("$(printf '%-34s %5ss  FAILED (exit %s)' "$name" $((SECONDS - t0)) "$rc")")
    echo "phase '$name' failed with exit code $rc" >&2
    exit "$rc"
  fi
}

finish() {
  local rc=$?
  if [[ $STACK_STARTED == 1 ]]; then
    echo; echo "==> stack down (always)"
    stack/down || { echo "stack/down failed" >&2; rc=1; }
  fi
  echo; echo "Phase timings:"
  printf '  %s\n' "${PHASES[@]}"
  printf '  %-34s %5ss\n' "total" $((SECONDS - STARTED_AT))
  if [[ $rc == 0 ]]; then echo "ALL TESTS PASSED"; else echo "TESTS FAILED (exit $rc)" >&2; fi
  exit "$rc"
}
trap finish EXIT

go_unit_tests() { go test -count=1 ./...; }
# The packages whose goroutines share data (the parallel decode's workers, the poller and its caches,
# pages shared between viewers) once more under the race detector (it needs gcc).
go_race_tests() { go test -count=1 -race ./pkg/slurm/ ./pkg/cluster/ ./pkg/plugin/ ./pkg/query/; }
go_static() {
  # gofmt first: vet and staticcheck accept unformatted code.
  local unformatted
  unformatted=$(gofmt -l $(go list -f '{{.Dir}}' ./...))
  if [[ -n $unformatted ]]; then echo "not gofmt-formatted (run gofmt -w):" >&2; echo "$unformatted" >&2; return 1; fi
  go vet ./... && go tool staticcheck ./...
}
node24() {
  # shellcheck source=scripts/node24.sh
  source scripts/node24.sh
  node --version | grep -q '^v24\.' || { echo "Node 24 is not first on PATH (got $(node --version))" >&2; return 1; }
}
npm_install() { npm ci --no-audit --no-fund; }
stack_up() { STACK_STARTED=1; stack/up; }
integration_tests() { go test -count=1 -tags integration ./...; }
# The GitHub workflows cannot run here; actionlint checks their syntax, expressions, action inputs and
# (with shellcheck installed) their run: scripts. Pinned, built from the Go module proxy: it cannot be a
# go.mod tool because it needs an older go.yaml.in/yaml/v4 than grafana-plugin-sdk-go.
workflow_lint() { go run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12; }
# The benchmarks' short mode (bench/README.md): the load generator drives the built plugin over gRPC
# against a slurmrestd stand-in with 10 000 jobs and fails on query errors, refused or rate-limited
# calls and more than one call per endpoint per refresh, never on timings; the Go benchmarks run once
# each so their figures show in the output. A regression shows here as numbers, not as a flaky test.
bench_short() {
  go run ./bench/cmd/loadgen -short &&
    BENCH_JOBS=20000 go test -run XXX -bench . -benchtime 1x -benchmem ./bench/ ./pkg/query/ ./pkg/cluster/
}

phase "apt: base packages"        scripts/install-debian-deps.sh
phase "node 24 bootstrap"         node24
phase "npm ci"                    npm_install
phase "go mod download"           go mod download
phase "lint"                      npm run lint
phase "typecheck"                 npm run typecheck
phase "jest"                      npm test
phase "gofmt + go vet + staticcheck" go_static
phase "go unit tests"             go_unit_tests
phase "go race detector"          go_race_tests
phase "simulator tests (python)"  python3 -m unittest discover -s stack/sim
phase "workflows (actionlint)"    workflow_lint
phase "build (frontend+backend)"  npm run build
phase "benchmarks (short)"        bench_short
# plugincheck2 cannot be installed here (the Go module proxy answers 403 for every version of
# github.com/grafana/plugin-validator); scripts/validate.sh then still checks the archive and runs
# gosec as the validator would, and says loudly that plugincheck2 did not run.
phase "package + validate"        env PLUGINCHECK2_OPTIONAL=1 npm run validate
phase "prometheus rules (promtool)" prometheus/test.sh

if [[ ${SKIP_STACK:-0} == 1 ]]; then
  echo "SKIP_STACK=1: not starting the local stack; integration tests not run" >&2
  exit 0
fi
# Start from a clean stack: state left by an earlier run (old jobs whose slurmd was killed,
# a seeded marker of another slurmctld run) must not decide what the integration tests see.
phase "stack reset (down --purge)"  stack/down --purge
phase "stack up"                  stack_up
phase "stack seed"                stack/seed --wait
phase "stack smoke check"         stack/check
phase "query check (live stack)"  go run ./scripts/querycheck -live
phase "integration: health smoke" go test -count=1 -tags integration -run TestIntegrationHealth ./pkg/plugin/
phase "integration: all"          integration_tests
