#!/usr/bin/env bash
# Runs the local stack's Slurm side in the foreground (stack/up --foreground stops everything it
# started when it gets SIGTERM), and copies the slurmrestd JWT key into the volume shared with
# Grafana once the stack has written it. The copy is world-readable on purpose: the volume is
# mounted only into this container and the demo's Grafana, and the key is a demo-only value
# generated at first start.
set -euo pipefail
stack="${HPC_STACK_SRC:-/opt/hpc-slurm-app/stack}" # where the image copies stack/
share="${HPC_DEMO_SECRETS_DIR:-/run/hpc-demo-secrets}"
wait_seconds="${HPC_DEMO_KEY_WAIT_SECONDS:-300}"
mkdir -p "$share"
rm -f "$share/jwt_hs256.key"

"$stack/up" --foreground &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' TERM INT

key=""
for ((i = 0; i < wait_seconds; i++)); do
  # The stack keeps the key under its state directory (etc/ in the current scripts).
  for f in "$HPC_STACK_DIR/etc/jwt_hs256.key" "$HPC_STACK_DIR/jwt_hs256.key"; do
    if [[ -s $f ]]; then key=$f; break 2; fi
  done
  if ! kill -0 "$child" 2>/dev/null; then
    wait "$child" || exit $?
    echo "hpc-slurm-entrypoint: stack/up ended before writing a JWT key" >&2
    exit 1
  fi
  sleep 1
done
if [[ -z $key ]]; then
  echo "hpc-slurm-entrypoint: no JWT key under $HPC_STACK_DIR after ${wait_seconds}s" >&2
  kill -TERM "$child" 2>/dev/null || true
  wait "$child" || true
  exit 1
fi
install -m 0444 "$key" "$share/.jwt_hs256.key.tmp"
mv -f "$share/.jwt_hs256.key.tmp" "$share/jwt_hs256.key"
echo "hpc-slurm-entrypoint: JWT key shared at $share/jwt_hs256.key"

# `wait` returns early when a trapped signal arrives; keep waiting until the stack has stopped.
rc=0
while kill -0 "$child" 2>/dev/null; do
  wait "$child" && rc=0 || rc=$?
done
exit "$rc"
