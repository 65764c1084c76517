# shellcheck shell=bash
# Writes the stack's configuration under $HPC_STACK_DIR/etc. Sourced by stack/up after common.sh.
# Re-running rewrites the same files; keys and passwords are made once and kept.

make_dirs() {
  install -d -m 0755 "$HPC_STACK_DIR" "$ETC" "$ETC/slurm" "$RUN" "$RUN/slurm" "$LOG" "$DATA" \
    "$DATA/slurmctld" "$DATA/dev"
  install -d -m 0755 -o munge -g munge "$RUN/munge" "$DATA/munge" "$ETC/munge"
  install -d -m 0750 -o mysql -g mysql "$DATA/mariadb"
  install -d -m 0755 -o mysql -g mysql "$RUN/mariadb"
  install -d -m 0755 -o prometheus -g prometheus "$DATA/prometheus" "$DATA/alertmanager"
  local n
  for n in "${SLURM_NODES[@]}"; do install -d -m 0755 "$DATA/slurmd/$n"; done
}

ensure_linux_users() {
  local u
  for u in "${SLURM_USERS[@]}" "$SLURM_API_USER"; do
    id -u "$u" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$u"
  done
  id -u "$SLURMRESTD_USER" >/dev/null 2>&1 ||
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$SLURMRESTD_USER"
}

ensure_secrets() {
  if [[ ! -s $ETC/munge/munge.key ]]; then
    head -c 1024 /dev/urandom >"$ETC/munge/munge.key"
  fi
  chown munge:munge "$ETC/munge/munge.key"
  chmod 0400 "$ETC/munge/munge.key"

  # The HS256 key as ASCII hex with no newline: slurmctld uses the file's bytes as the key, and the
  # data source's jwtKey setting takes the same text, so both sides see identical key bytes.
  if [[ ! -s $JWT_KEY_FILE ]]; then
    (umask 077; head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n' >"$JWT_KEY_FILE")
  fi
  chmod "${HPC_STACK_JWT_KEY_MODE:-0600}" "$JWT_KEY_FILE"

  if [[ ! -s $ETC/mariadb-slurm.pass ]]; then
    (umask 077; head -c 18 /dev/urandom | od -An -v -tx1 | tr -d ' \n' >"$ETC/mariadb-slurm.pass")
  fi
}

# Fake GPUs: gres.conf must name character devices, so make two per GPU node (NVIDIA's major 195).
ensure_gpu_devices() {
  local i
  for i in 0 1 2 3; do
    [[ -c $DATA/dev/nvidia$i ]] || { rm -f "$DATA/dev/nvidia$i"; mknod -m 0666 "$DATA/dev/nvidia$i" c 195 "$i"; }
  done
}

write_slurm_conf() {
  local i n port
  {
    cat <<CONF
# Written by stack/up; edits are overwritten.
ClusterName=$SLURM_CLUSTER
# "localhost" keeps the machine's hostname out of the cluster data (and the recorded fixtures).
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$SLURMCTLD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
CredType=cred/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$JWT_KEY_FILE
StateSaveLocation=$DATA/slurmctld
SlurmdSpoolDir=$DATA/slurmd/%n
SlurmctldPidFile=$RUN/slurm/slurmctld.pid
SlurmdPidFile=$RUN/slurm/slurmd-%n.pid
SlurmctldLogFile=$LOG/slurmctld.log
SlurmdLogFile=$LOG/slurmd-%n.log
SlurmctldDebug=info
SlurmdDebug=info
FirstJobId=1001
MinJobAge=86400
# Room for bench/stack-load.sh's 10 000 held jobs beside the seeded ones (Slurm's default is 10 000).
MaxJobCount=20000
ReturnToService=2
SlurmdTimeout=300
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=30
SchedulerType=sched/backfill
# A short backfill cycle so a freshly seeded queue settles within seconds, not half a minute.
SchedulerParameters=bf_interval=5
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
PriorityType=priority/multifactor
PriorityWeightAge=1000
PriorityWeightFairshare=10000
PriorityWeightJobSize=1000
PriorityWeightPartition=1000
PriorityWeightQOS=10000
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePort=$SLURMDBD_PORT
# slurmctld takes the munge socket for the slurmdbd connection from here, not from AuthInfo.
AccountingStoragePass=$MUNGE_SOCKET
AccountingStorageEnforce=associations,limits,qos
AccountingStorageTRES=gres/gpu,license/matlab,license/ansys
Licenses=matlab:4,ansys:2
GresTypes=gpu
# Several slurmd on one host announce the CPUs and memory written here, not the host's.
SlurmdParameters=config_overrides
CONF
    i=0
    for n in "${SLURM_NODES[@]}"; do
      i=$((i + 1))
      port=$((SLURMD_BASE_PORT + i))
      if ((i <= 4)); then
        echo "NodeName=$n NodeHostname=localhost NodeAddr=127.0.0.1 Port=$port CPUs=4 RealMemory=7800 Feature=cpu State=UNKNOWN"
      else
        echo "NodeName=$n NodeHostname=localhost NodeAddr=127.0.0.1 Port=$port CPUs=8 RealMemory=15800 Gres=gpu:a100:2 Feature=gpu State=UNKNOWN"
      fi
    done
    echo "PartitionName=cpu Nodes=node[01-04] Default=YES MaxTime=1-00:00:00 DefaultTime=60 DefMemPerCPU=1000 State=UP"
    echo "PartitionName=gpu Nodes=node[05-06] MaxTime=2-00:00:00 DefaultTime=60 DefMemPerCPU=1000 State=UP"
  } >"$SLURM_CONF.tmp"
  mv "$SLURM_CONF.tmp" "$SLURM_CONF"
  chmod 0644 "$SLURM_CONF"

  cat >"$ETC/slurm/gres.conf" <<CONF
NodeName=node05 Name=gpu Type=a100 File=$DATA/dev/nvidia[0-1]
NodeName=node06 Name=gpu Type=a100 File=$DATA/dev/nvidia[2-3]
CONF
  cat >"$ETC/slurm/cgroup.conf" <<CONF
CgroupPlugin=autodetect
CgroupMountpoint=/sys/fs/cgroup
CONF
  chmod 0644 "$ETC/slurm/gres.conf" "$ETC/slurm/cgroup.conf"

  # slurmdbd insists on a 0600 config owned by its SlurmUser.
  (umask 077; cat >"$ETC/slurm/slurmdbd.conf" <<CONF
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$JWT_KEY_FILE
DbdHost=localhost
DbdPort=$SLURMDBD_PORT
SlurmUser=root
PidFile=$RUN/slurm/slurmdbd.pid
LogFile=$LOG/slurmdbd.log
DebugLevel=info
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$MARIADB_PORT
StorageUser=slurm
StoragePass=$(cat "$ETC/mariadb-slurm.pass")
StorageLoc=slurm_acct_db
CONF
  )
}

write_stack_env() {
  cat >"$HPC_STACK_DIR/stack.env.tmp" <<ENV
# Written by stack/up: endpoints and identities of the local stack (shell KEY=value).
HPC_STACK_DIR=$HPC_STACK_DIR
SLURMRESTD_URL=http://$(restd_client_addr)
SLURM_CLUSTER=$SLURM_CLUSTER
SLURM_API_USER=$SLURM_API_USER
SLURM_USERS=$(IFS=,; echo "${SLURM_USERS[*]}")
SLURM_JWT_KEY_FILE=$JWT_KEY_FILE
SLURM_CONF=$SLURM_CONF
SLURM_API_VERSION=v0.0.38
SLURM_SEEDED_JOBS=$HPC_STACK_DIR/seeded.jobs
PROMETHEUS_URL=http://127.0.0.1:$PROMETHEUS_PORT
NODE_EXPORTER_URL=http://127.0.0.1:$NODE_EXPORTER_PORT
ALERTMANAGER_URL=http://127.0.0.1:$ALERTMANAGER_PORT
SIMULATOR_URL=http://127.0.0.1:$SIMULATOR_PORT
MARIADB_SOCKET=$MARIADB_SOCKET
MARIADB_PORT=$MARIADB_PORT
ENV
  mv "$HPC_STACK_DIR/stack.env.tmp" "$HPC_STACK_DIR/stack.env"
  chmod 0644 "$HPC_STACK_DIR/stack.env"
}

# The address clients use for slurmrestd: a wildcard listen address is reached on loopback.
restd_client_addr() {
  local host=${SLURMRESTD_LISTEN%:*} port=${SLURMRESTD_LISTEN##*:}
  [[ $host == 0.0.0.0 || -z $host ]] && host=127.0.0.1
  printf '%s:%s' "$host" "$port"
}
