# shellcheck shell=bash
# shellcheck disable=SC2034  # the settings below are used by the scripts that source this file
# Shared helpers for the stack/ scripts: settings, logging, PID files, ports, waiting.
# Sourced, never run. Every script sets -euo pipefail itself before sourcing this.

STACK_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "$STACK_SRC/.." && pwd)"

export HPC_STACK_DIR="${HPC_STACK_DIR:-/var/lib/hpc-slurm-stack}"
HPC_STACK_DIR="${HPC_STACK_DIR%/}"
# The stack writes, deletes (down removes run/*.pid, --purge the whole tree) and chowns under this
# directory: it must be a dedicated absolute path, never a system directory.
case $HPC_STACK_DIR in
  /*/*) ;;
  *) printf '[stack] ERROR: HPC_STACK_DIR must be an absolute path at least two levels deep, got "%s"\n' \
       "$HPC_STACK_DIR" >&2; exit 1;;
esac
case $HPC_STACK_DIR in
  /var/lib|/usr/*|/etc/*|/proc/*|/sys/*|/dev/*|/boot/*|/bin/*|/sbin/*|/lib*/*|/run/*|/var/run/*)
    printf '[stack] ERROR: HPC_STACK_DIR=%s is a system directory; use a dedicated one\n' "$HPC_STACK_DIR" >&2
    exit 1;;
esac
HPC_STACK_COMPONENTS="${HPC_STACK_COMPONENTS:-slurm prometheus node_exporter alertmanager simulator}"
SLURMRESTD_LISTEN="${SLURMRESTD_LISTEN:-127.0.0.1:6820}"

# Fixed ports of the loopback stack (documented in stack/README.md).
MARIADB_PORT="${HPC_STACK_MARIADB_PORT:-3307}"   # not 3306: leave a system MariaDB alone
SLURMCTLD_PORT=6817
SLURMDBD_PORT=6819
SLURMD_BASE_PORT=6830                             # node01 = 6831 … node06 = 6836
PROMETHEUS_PORT=9090
NODE_EXPORTER_PORT=9100
ALERTMANAGER_PORT=9093
SIMULATOR_PORT=9109                               # stack/sim: simulated exporters

SLURM_CLUSTER=demo
SLURM_NODES=(node01 node02 node03 node04 node05 node06)
SLURM_USERS=(alice bob carol)
SLURM_API_USER=grafana
SLURMRESTD_USER=slurmrestd                         # slurmrestd refuses to run as root

ETC="$HPC_STACK_DIR/etc"
RUN="$HPC_STACK_DIR/run"
LOG="$HPC_STACK_DIR/log"
DATA="$HPC_STACK_DIR/data"
SLURM_CONF="$ETC/slurm/slurm.conf"
JWT_KEY_FILE="$ETC/jwt_hs256.key"
MUNGE_SOCKET="$RUN/munge/munge.socket.2"
MARIADB_SOCKET="$RUN/mariadb/mariadb.sock"

export SLURM_CONF

log()  { printf '[stack %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
warn() { printf '[stack %s] WARNING: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

# proc_running PID: alive and not a zombie (an exited child waiting for init to reap it is gone for us).
proc_running() {
  local st
  kill -0 "$1" 2>/dev/null || return 1
  st="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ $st != Z && $st != X ]]
}

require_root() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (it creates users, devices and starts daemons); try: sudo $0"
}

# has_component NAME: is NAME in HPC_STACK_COMPONENTS?
has_component() {
  local c
  for c in $HPC_STACK_COMPONENTS; do [[ $c == "$1" ]] && return 0; done
  return 1
}

validate_components() {
  local c
  for c in $HPC_STACK_COMPONENTS; do
    case $c in slurm|prometheus|node_exporter|alertmanager|simulator) ;;
      *) die "HPC_STACK_COMPONENTS has unknown component '$c' (known: slurm prometheus node_exporter alertmanager simulator)";;
    esac
  done
}

pidfile_of() { printf '%s/%s.pid' "$RUN" "$1"; }

# pid_alive NAME: prints the PID and succeeds when NAME's PID file names a live process.
pid_alive() {
  local f pid
  f="$(pidfile_of "$1")"
  [[ -s $f ]] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  [[ -n $pid ]] && proc_running "$pid" || return 1
  # A recycled PID must not be mistaken for ours: the process must be the daemon we started.
  if [[ -r /proc/$pid/cmdline ]] && ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$(expected_cmd "$1")"; then
    return 1
  fi
  printf '%s' "$pid"
}

# expected_cmd NAME: a fragment of the command line the daemon NAME runs with.
expected_cmd() {
  case $1 in
    munged) echo munged;;
    mariadb) echo mariadbd;;
    slurmdbd) echo slurmdbd;;
    slurmctld) echo slurmctld;;
    slurmd-*) echo "slurmd -D -N ${1#slurmd-}";;
    slurmrestd) echo slurmrestd;;
    prometheus) echo prometheus;;
    node_exporter) echo prometheus-node-exporter;;
    alertmanager) echo prometheus-alertmanager;;
    simulator) echo sim/simulator.py;;
    *) echo "$1";;
  esac
}

# stop_pid NAME [timeout_s]: SIGTERM, wait, then SIGKILL; removes the PID file. Safe when not running.
stop_pid() {
  local name=$1 timeout=${2:-15} pid i
  if pid="$(pid_alive "$name")"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < timeout * 10; i++)); do
      proc_running "$pid" || break
      sleep 0.1
    done
    if proc_running "$pid"; then
      warn "$name (pid $pid) ignored SIGTERM for ${timeout}s: sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do proc_running "$pid" || break; sleep 0.1; done
    fi
    proc_running "$pid" && die "$name (pid $pid) is still running after SIGKILL"
    log "stopped $name (pid $pid)"
  fi
  rm -f "$(pidfile_of "$name")"
}

# port_owner PORT: prints "pid/cmd" of whatever listens on TCP PORT, or nothing.
port_owner() {
  ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\("[^"]*",pid=[0-9]*\).*/\1/p' | head -n1
}

port_in_use() { [[ -n $(ss -Hltn "sport = :$1" 2>/dev/null) ]]; }

# wait_until DESCRIPTION TIMEOUT_S LOGFILE CMD...: polls CMD every 0.3 s; on timeout shows the log tail.
# When WAIT_DAEMON names a daemon, its death ends the wait at once.
wait_until() {
  local what=$1 timeout=$2 logfile=$3 start why
  shift 3
  start=$SECONDS
  until "$@" >/dev/null 2>&1; do
    why=
    if [[ -n ${WAIT_DAEMON:-} ]] && ! proc_running "$(tr -dc '0-9' <"$(pidfile_of "$WAIT_DAEMON")")"; then
      why="exited"
    elif ((SECONDS - start >= timeout)); then why="did not come up within ${timeout}s"; fi
    if [[ -n $why ]]; then
      printf '[stack] ERROR: %s %s\n' "$what" "$why" >&2
      if [[ -n $logfile && -f $logfile ]]; then
        printf -- '--- last 25 lines of %s ---\n' "$logfile" >&2
        tail -n 25 "$logfile" >&2
        printf -- '---\n' >&2
      fi
      return 1
    fi
    sleep 0.3
  done
}

http_ok() { curl -fsS -o /dev/null --max-time 3 "$1"; }

# The daemons that belong to each component, in start order.
slurm_daemons() {
  local n
  printf '%s\n' munged mariadb slurmdbd slurmctld
  for n in "${SLURM_NODES[@]}"; do printf 'slurmd-%s\n' "$n"; done
  printf '%s\n' slurmrestd
}

all_daemons() {
  has_component slurm && slurm_daemons
  has_component node_exporter && echo node_exporter
  has_component alertmanager && echo alertmanager
  has_component simulator && echo simulator
  has_component prometheus && echo prometheus
  return 0
}

# Every daemon is started as a session leader and its PID is appended to $RUN/sessions. Slurm job
# processes outlive slurmd: slurmstepd detaches into a session of its own, but keeps its slurmd's log
# (under $LOG) open. So the stack's leftovers are: processes in the recorded sessions, slurmstepd
# processes holding a file under $LOG, and everything below those (the job's tasks). Nothing else.
stack_session_processes() {
  # Arguments (rollback): only the sessions given as "pid pid …" and slurmstepd holding one of the
  # given logs. Without arguments: every session in $RUN/sessions and any log under $LOG.
  local sessions p exe f roots=() logs=("$LOG/*")
  if (($#)); then
    sessions=$1
    shift
    logs=("$@")
  else
    sessions=
    [[ -s $RUN/sessions ]] && sessions="$(tr '\n' ' ' <"$RUN/sessions")"
  fi
  for p in /proc/[0-9]*; do
    exe="$(readlink "$p/exe" 2>/dev/null)" || continue
    [[ ${exe##*/} == slurmstepd* ]] || continue
    for f in "${logs[@]}"; do
      if find "$p/fd" -mindepth 1 -maxdepth 1 -lname "$f*" 2>/dev/null | grep -q .; then
        roots+=("${p#/proc/}")
        break
      fi
    done
  done
  ps -eo pid=,ppid=,sid=,stat= | awk -v s="$sessions" -v r="${roots[*]}" -v self="$$" '
    BEGIN {
      n = split(s, a, " "); for (i = 1; i <= n; i++) ses[a[i]] = 1
      n = split(r, b, " "); for (i = 1; i <= n; i++) mark[b[i]] = 1
    }
    { pid[NR] = $1; parent[$1] = $2; if ($3 in ses) mark[$1] = 1; if ($4 ~ /^Z/) zombie[$1] = 1 }
    END {
      do { changed = 0
        for (i in pid) { p = pid[i]; if (!(p in mark) && (parent[p] in mark)) { mark[p] = 1; changed = 1 } }
      } while (changed)
      for (p in mark) if (p != self && (p in parent) && !(p in zombie)) print p
    }'
}

# reap_job_processes [SESSIONS LOGS...]: TERM, then KILL, whatever is left in the stack's sessions
# (or only in the given ones; see stack_session_processes).
reap_job_processes() {
  local -a pids
  local i p
  mapfile -t pids < <(stack_session_processes "$@")
  ((${#pids[@]})) || return 0
  log "stopping ${#pids[@]} leftover job process(es): ${pids[*]}"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    for p in "${pids[@]}"; do proc_running "$p" && break; p=; done
    [[ -z ${p:-} ]] && return 0
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  sleep 0.2
  for p in "${pids[@]}"; do proc_running "$p" && die "process $p of the stack survived SIGKILL"; done
  return 0
}
