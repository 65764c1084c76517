#!/bin/sh
# Entry point of the demo's Grafana: waits for the JWT key that the Slurm container shares through
# the `slurm-secrets` volume, hands it to provisioning as HPC_SLURM_JWT_KEY (provisioning/datasources
# reads it from the environment), defaults HPC_DASHBOARDS_PATH (provisioning/dashboards) to the
# directory the compose file mounts, then runs the image's own start script.
set -eu
key_file="${HPC_SLURM_JWT_KEY_FILE:-/run/hpc-demo-secrets/jwt_hs256.key}"
wait_seconds="${HPC_SLURM_JWT_KEY_WAIT_SECONDS:-300}"

waited=0
while [ ! -s "$key_file" ]; do
  if [ "$waited" -ge "$wait_seconds" ]; then
    echo "hpc-grafana-start: no Slurm JWT key at $key_file after ${wait_seconds}s; is the slurm service up?" >&2
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done
HPC_SLURM_JWT_KEY="$(cat "$key_file")"
export HPC_SLURM_JWT_KEY
# provisioning/dashboards reads the dashboards from here; docker-compose.yaml mounts them there.
HPC_DASHBOARDS_PATH="${HPC_DASHBOARDS_PATH:-/var/lib/grafana/dashboards/hpc}"
export HPC_DASHBOARDS_PATH
exec "${HPC_GRAFANA_RUN:-/run.sh}" "$@" # the grafana image's own entry point
