#!/usr/bin/env bash
# The data source on the real local stack with many jobs (bench/README.md "On the real stack"):
# brings the stack up and seeds it, submits JOBS held jobs (sbatch -H, spread over alice, bob and
# carol and both partitions; held jobs never run, so they cost slurmctld a job record and nothing
# else), then lets the load generator start the built plugin against the real slurmrestd with
# VIEWERS dashboards of 12 panels refreshing every 10 s for MINUTES minutes, the data source at its
# default 30 s refresh. slurmctld's RPC counts by user (sdiag) are read before and after. The stack
# starts from nothing and is always taken down with --purge at the end: slurmctld keeps pending jobs
# across restarts, and 10 000 held jobs left behind would fill the next user's queue (Slurm's default
# MaxJobCount is 10 000). The stack is one per machine: run it under the stack lock,
#
#   flock /tmp/hpc-stack.lock bench/stack-load.sh
#
# Needs the built plugin (go tool mage -v build:linux). Writes the report to OUT.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JOBS=${JOBS:-10000}
MINUTES=${MINUTES:-10}
VIEWERS=${VIEWERS:-50}
OUT=${OUT:-/tmp/stack-load.md}
PLUGIN=${PLUGIN:-dist/datasource/gpx_slurm_linux_amd64}
[[ -x $PLUGIN ]] || { echo "no plugin binary at $PLUGIN: go tool mage -v build:linux" >&2; exit 1; }

trap 'stack/down --purge >/dev/null 2>&1 || echo "stack/down --purge failed" >&2' EXIT
stack/down --purge
stack/up
stack/seed --wait
HPC_STACK_DIR=${HPC_STACK_DIR:-/var/lib/hpc-slurm-stack}
# shellcheck source=/dev/null
source "${HPC_STACK_DIR:-/var/lib/hpc-slurm-stack}/stack.env"
export SLURM_CONF

# The stack's simulated exporters read slurmrestd every 15 s as the data source's own Slurm user
# (grafana); stop them so that sdiag's count for grafana is the plugin's alone.
if [[ -s $HPC_STACK_DIR/run/simulator.pid ]]; then
  kill "$(tr -dc '0-9' <"$HPC_STACK_DIR/run/simulator.pid")" 2>/dev/null || true
fi

# rpcs SECTION: "name count" lines of one of sdiag's "Remote Procedure Call statistics by …" sections.
rpcs() {
  sdiag | awk -v section="Remote Procedure Call statistics by $1" '$0 ~ "^" section {on=1; next}
    on && /^[^ \t]/ {on=0}
    on && /count:/ {for (i = 1; i <= NF; i++) if ($i ~ /^count:/) {sub("count:", "", $i); print $1, $i}}' | sort
}

# diff_table BEFORE AFTER SECONDS: one row per name whose count changed.
diff_table() {
  join -a2 -e0 -o 0,1.2,2.2 <(echo "$1") <(echo "$2") |
    awk -v s="$3" '$3 != $2 {d = $3 - $2; printf "| %s | %d | %d | %d | %.3f |\n", $1, $2, $3, d, d / s}'
}

echo "submitting $JOBS held jobs"
start=$SECONDS
users=(alice bob carol)
parts=(cpu gpu)
# shellcheck disable=SC2317 # called by xargs (export -f)
submit_one() {
  cd /tmp && runuser -u "$1" -- env SLURM_CONF="$SLURM_CONF" \
    sbatch -H --parsable -p "$2" -J "$3" -o /dev/null --wrap true >/dev/null
}
export -f submit_one
# shellcheck disable=SC2016 # $@ is the inner shell's
for ((i = 1; i <= JOBS; i++)); do
  echo "${users[i % 3]} ${parts[i % 2]} held-$((i % 50))"
done | xargs -P 4 -n 3 bash -c 'submit_one "$@"' _
submitted=$((SECONDS - start))
in_ctld=$(squeue -h -o %i | wc -l)
echo "submitted in ${submitted}s; slurmctld holds $in_ctld jobs"

tokfile=$(mktemp)
chmod 600 "$tokfile"
stack/token grafana $(((MINUTES + 10) * 60)) >"$tokfile"
before=$(rpcs user)
before_type=$(rpcs "message type")
t0=$(date +%s)
go run ./bench/cmd/loadgen -plugin "$PLUGIN" -slurmrestd http://127.0.0.1:6820 -token-file "$tokfile" \
  -versions v0.0.38 -viewers "$VIEWERS" -interval 10s -refresh 30s -load "${MINUTES}m" -samples 10 -o "$OUT.loadgen" || rc=$?
t1=$(date +%s)
after=$(rpcs user)
after_type=$(rpcs "message type")
rm -f "$tokfile"

{
  echo "Real stack: $in_ctld jobs in slurmctld ($JOBS held jobs submitted in ${submitted}s, 4 sbatch at a time), $VIEWERS viewers for $MINUTES min ($((t1 - t0)) s between the two sdiag reads)."
  echo
  echo "| user | RPCs before | RPCs after | RPCs in the run | per second |"
  echo "|---|---|---|---|---|"
  diff_table "$before" "$after" $((t1 - t0))
  echo
  echo "| message type (every user; sdiag's own REQUEST_STATS_INFO included) | before | after | in the run | per second |"
  echo "|---|---|---|---|---|"
  diff_table "$before_type" "$after_type" $((t1 - t0))
  echo
  cat "$OUT.loadgen"
} >"$OUT"
cat "$OUT"
exit "${rc:-0}"
