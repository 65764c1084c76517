# shellcheck shell=bash
# Start and readiness of each daemon. Sourced by stack/up after common.sh and config.sh.
# Every daemon runs in the foreground of its own session (setsid), so $! is the daemon itself and
# the PID file we write is exact; its output goes to $LOG/<name>.log.

STARTED=()        # daemons this run started, for the rollback on failure
STARTED_PIDS=()   # and their PIDs (each the leader of its own session)

# spawn NAME CMD...: start CMD detached, record its PID.
spawn() {
  local name=$1
  shift
  setsid "$@" </dev/null >>"$LOG/$name.log" 2>&1 &
  printf '%s\n' "$!" >"$(pidfile_of "$name")"
  printf '%s\n' "$!" >>"$RUN/sessions"
  STARTED+=("$name")
  STARTED_PIDS+=("$!")
}

# as_user USER CMD...: the command line prefix that runs CMD as USER without an extra process.
as_user() { local u=$1; shift; printf '%s\0' setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups -- "$@"; }

# spawn_and_wait NAME TIMEOUT CHECK_FN CMD...: start unless running, then wait for CHECK_FN.
spawn_and_wait() {
  local name=$1 timeout=$2 check=$3 pid
  shift 3
  if pid="$(pid_alive "$name")"; then
    log "$name already running (pid $pid)"
  else
    rm -f "$(pidfile_of "$name")"
    spawn "$name" "$@"
    log "started $name (pid $(cat "$(pidfile_of "$name")"))"
  fi
  WAIT_DAEMON=$name wait_until "$name" "$timeout" "$(log_of "$name")" "$check" "$name" ||
    die "$name is not answering; see $(log_of "$name")"
}

log_of() {
  case $1 in
    mariadb) echo "$LOG/mariadb.log";;
    *) echo "$LOG/$1.log";;
  esac
}

# alive_and CHECK NAME: the daemon must still be alive (else stop waiting early) and CHECK must pass.
check_munged()     { pid_alive munged >/dev/null && munge -n -S "$MUNGE_SOCKET" | unmunge -S "$MUNGE_SOCKET"; }
check_mariadb()    { pid_alive mariadb >/dev/null && mariadb-admin --no-defaults -S "$MARIADB_SOCKET" -u root ping; }
check_slurmdbd()   { pid_alive slurmdbd >/dev/null && timeout 10 sacctmgr -nP list cluster; }
check_slurmctld()  { pid_alive slurmctld >/dev/null && timeout 10 scontrol ping | grep -q 'is UP'; }
check_slurmd()     { pid_alive "$1" >/dev/null && timeout 10 sinfo -h -N -r -n "${1#slurmd-}" -o %N | grep -q .; }
check_slurmrestd() {
  local token
  pid_alive slurmrestd >/dev/null || return 1
  token="$(mint_token "$SLURM_API_USER" 60)" || return 1
  [[ $(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 -H "X-SLURM-USER-NAME: $SLURM_API_USER" \
    -H "X-SLURM-USER-TOKEN: $token" "http://$(restd_client_addr)/slurm/v0.0.38/ping") == 200 ]]
}
check_prometheus()    { pid_alive prometheus >/dev/null && http_ok "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"; }
check_alertmanager()  { pid_alive alertmanager >/dev/null && http_ok "http://127.0.0.1:$ALERTMANAGER_PORT/-/ready"; }
check_node_exporter() { pid_alive node_exporter >/dev/null && http_ok "http://127.0.0.1:$NODE_EXPORTER_PORT/metrics"; }
check_simulator()     { pid_alive simulator >/dev/null && http_ok "http://127.0.0.1:$SIMULATOR_PORT/healthz"; }

# mint_token USER LIFESPAN_S: a JWT signed by slurmctld with the stack's key.
mint_token() {
  local out
  out="$(timeout 10 scontrol token username="$1" lifespan="$2" 2>&1)" || { printf '%s\n' "$out" >&2; return 1; }
  printf '%s\n' "${out#SLURM_JWT=}"
}

start_munged() {
  local -a cmd
  mapfile -d '' cmd < <(as_user munge munged --foreground --socket="$MUNGE_SOCKET" \
    --key-file="$ETC/munge/munge.key" --pid-file="$RUN/munge/munged.pid" \
    --seed-file="$DATA/munge/munged.seed" --log-file="$LOG/munged.daemon.log")
  touch "$LOG/munged.daemon.log"
  chown munge:munge "$LOG/munged.daemon.log"
  spawn_and_wait munged 15 check_munged "${cmd[@]}"
}

start_mariadb() {
  if [[ ! -d $DATA/mariadb/mysql ]]; then
    log "initialising MariaDB data directory"
    mariadb-install-db --no-defaults --datadir="$DATA/mariadb" --user=mysql \
      --auth-root-authentication-method=socket --skip-test-db >>"$LOG/mariadb.log" 2>&1 ||
      { tail -n 20 "$LOG/mariadb.log" >&2; die "mariadb-install-db failed"; }
  fi
  spawn_and_wait mariadb 60 check_mariadb mariadbd --no-defaults --user=mysql \
    --datadir="$DATA/mariadb" --socket="$MARIADB_SOCKET" --port="$MARIADB_PORT" \
    --bind-address=127.0.0.1 --skip-name-resolve --pid-file="$RUN/mariadb/mariadbd.pid" \
    --log-error="$LOG/mariadb.log" --innodb-buffer-pool-size=64M --innodb-log-file-size=32M \
    --innodb-lock-wait-timeout=900 --innodb-use-native-aio=0 --max-connections=50 \
    --performance-schema=OFF
  local pass
  pass="$(cat "$ETC/mariadb-slurm.pass")"
  mariadb --no-defaults -S "$MARIADB_SOCKET" -u root <<SQL || die "could not create the slurm database user"
CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '$pass';
ALTER USER 'slurm'@'127.0.0.1' IDENTIFIED BY '$pass';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
SQL
}

start_slurmdbd() { spawn_and_wait slurmdbd 60 check_slurmdbd slurmdbd -D; }
start_slurmctld() { spawn_and_wait slurmctld 60 check_slurmctld slurmctld -D; }

start_slurmds() {
  local n
  for n in "${SLURM_NODES[@]}"; do
    if pid_alive "slurmd-$n" >/dev/null; then continue; fi
    rm -f "$(pidfile_of "slurmd-$n")"
    spawn "slurmd-$n" slurmd -D -N "$n"
    log "started slurmd -N $n (pid $(cat "$(pidfile_of "slurmd-$n")"))"
  done
  for n in "${SLURM_NODES[@]}"; do
    WAIT_DAEMON=slurmd-$n wait_until "slurmd -N $n" 60 "$LOG/slurmd-$n.log" check_slurmd "slurmd-$n" ||
      die "slurmd for $n did not register with slurmctld; see $LOG/slurmd-$n.log"
  done
}

start_slurmrestd() {
  local -a cmd
  # slurmrestd itself reads SLURMRESTD_LISTEN from the environment and would bind that address a
  # second time (EADDRINUSE), so it gets the address only as an argument.
  mapfile -d '' cmd < <(as_user "$SLURMRESTD_USER" env -u SLURMRESTD_LISTEN SLURM_JWT=daemon SLURM_CONF="$SLURM_CONF" \
    slurmrestd -a rest_auth/jwt -s openapi/v0.0.38,openapi/dbv0.0.38 "$SLURMRESTD_LISTEN")
  spawn_and_wait slurmrestd 30 check_slurmrestd "${cmd[@]}"
}

start_node_exporter() {
  local -a cmd
  mapfile -d '' cmd < <(as_user prometheus prometheus-node-exporter \
    --web.listen-address="127.0.0.1:$NODE_EXPORTER_PORT")
  spawn_and_wait node_exporter 20 check_node_exporter "${cmd[@]}"
}

# The simulated exporters (stack/sim): started as root to read the JWT key (mode 0600), then they
# run as the prometheus user. They read Slurm through slurmrestd like the data source does.
start_simulator() {
  spawn_and_wait simulator 20 check_simulator python3 "$STACK_SRC/sim/simulator.py" \
    --listen "127.0.0.1:$SIMULATOR_PORT" --slurmrestd "http://$(restd_client_addr)" \
    --jwt-key-file "$JWT_KEY_FILE" --slurm-user "$SLURM_API_USER" --run-as prometheus
}

# prom_user FILE...: "prometheus" when that user can read every FILE (and list their directories),
# else "root": a checkout under a private directory (e.g. /root, mode 0700) is unreadable to it.
prom_user() {
  local f
  for f in "$@"; do
    # shellcheck disable=SC2016  # $1 expands in the inner shell
    if ! setpriv --reuid=prometheus --regid="$(id -g prometheus)" --init-groups -- \
      sh -c 'test -r "$1" && ls "$(dirname "$1")" >/dev/null' _ "$f" 2>/dev/null; then
      warn "user prometheus cannot read $f: running this daemon as root"
      echo root
      return 0
    fi
  done
  echo prometheus
}

start_alertmanager() {
  local -a cmd
  local conf="$REPO_ROOT/prometheus/alertmanager.yml" user
  user="$(prom_user "$conf")"
  chown -R "$user:" "$DATA/alertmanager"
  # An empty cluster address turns gossip off: no port 9094, no need for a private IP.
  mapfile -d '' cmd < <(as_user "$user" prometheus-alertmanager \
    --config.file="$conf" --storage.path="$DATA/alertmanager" \
    --web.listen-address="127.0.0.1:$ALERTMANAGER_PORT" --cluster.listen-address=)
  spawn_and_wait alertmanager 30 check_alertmanager "${cmd[@]}"
}

start_prometheus() {
  local -a cmd
  local conf="$REPO_ROOT/prometheus/prometheus.yml" user
  local -a readable=("$conf")
  [[ -d $REPO_ROOT/prometheus/rules ]] && readable+=("$REPO_ROOT/prometheus/rules/.")
  user="$(prom_user "${readable[@]}")"
  chown -R "$user:" "$DATA/prometheus"
  mapfile -d '' cmd < <(as_user "$user" prometheus \
    --config.file="$conf" --storage.tsdb.path="$DATA/prometheus" \
    --storage.tsdb.retention.time=7d --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" \
    --web.enable-lifecycle)
  spawn_and_wait prometheus 60 check_prometheus "${cmd[@]}"
}
