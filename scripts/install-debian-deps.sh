#!/usr/bin/env bash
# Debian packages the tests need beyond the toolchains the machine ships (Go, Node, npm):
# zip for packaging the plugin, and the local stack's own packages (Slurm, MariaDB,
# Prometheus with promtool, node_exporter, Alertmanager) through the stack's installer so
# that there is one list of them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ $(id -u) != 0 ]]; then
  echo "install-debian-deps: must run as root (apt-get); run it with sudo" >&2
  exit 1
fi
need=()
command -v zip >/dev/null || need+=(zip)
command -v unzip >/dev/null || need+=(unzip)
if ((${#need[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" \
    || { echo "install-debian-deps: apt-get could not install: ${need[*]}" >&2; exit 1; }
fi
"$ROOT/stack/install"
