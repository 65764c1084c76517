#!/usr/bin/env bash
# Debian packages the tests need beyond the toolchains the machine ships (Go, Node, npm):
#   - always: zip and unzip (packaging and validating the plugin), Prometheus' promtool and the
#     prometheus binary, Alertmanager's amtool (prometheus/test.sh and its query check),
#     and ShellCheck (actionlint lints the workflows' run: scripts with it);
#   - unless SKIP_STACK=1: the local stack's own packages (Slurm, MariaDB, node_exporter, …) through
#     the stack's installer, which keeps the one list of them.
# Debian's packages start their daemons on install; a policy-rc.d that exits 101 stops that, so
# the Prometheus installed here never holds the port the local stack's Prometheus needs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ $(id -u) != 0 ]]; then
  echo "install-debian-deps: must run as root (apt-get); run it with sudo" >&2
  exit 1
fi

# command → the Debian package that provides it
declare -A PACKAGE_OF=(
  [zip]=zip
  [unzip]=unzip
  [promtool]=prometheus
  [prometheus]=prometheus
  [amtool]=prometheus-alertmanager
  [shellcheck]=shellcheck
  [gcc]=gcc # go test -race
)
need=()
for cmd in "${!PACKAGE_OF[@]}"; do
  command -v "$cmd" >/dev/null || need+=("${PACKAGE_OF[$cmd]}")
done
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u | sed '/^$/d')

if ((${#need[@]})); then
  echo "install-debian-deps: installing ${need[*]}"
  made_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  remove_policy() { if ((made_policy)); then rm -f /usr/sbin/policy-rc.d; fi; }
  trap remove_policy EXIT
  apt_opts=(-o DPkg::Lock::Timeout=600)
  export DEBIAN_FRONTEND=noninteractive
  apt-get "${apt_opts[@]}" update -qq
  apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || { echo "install-debian-deps: apt-get could not install: ${need[*]}" >&2; exit 1; }
  # The packages enable their units for the next boot; the tests start Prometheus themselves.
  for unit in prometheus prometheus-alertmanager; do
    if command -v systemctl >/dev/null 2>&1; then systemctl disable "$unit" >/dev/null 2>&1 || true; fi
    rm -f "/etc/systemd/system/multi-user.target.wants/$unit.service"
  done
fi

if [[ ${SKIP_STACK:-0} == 1 ]]; then
  echo "install-debian-deps: SKIP_STACK=1: the local stack's packages are not installed"
  exit 0
fi
"$ROOT/stack/install"
