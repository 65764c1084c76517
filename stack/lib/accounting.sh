# shellcheck shell=bash
# Cluster, accounts, users and QOS in slurmdbd. Idempotent: each step checks before it adds.

# sacct ARGS...: sacctmgr without prompts; its output is shown only when it fails.
sacct() {
  local out
  out="$(timeout 30 sacctmgr -i "$@" 2>&1)" || { warn "sacctmgr $*: $out"; return 1; }
}

# sacct_exists KIND NAME: does slurmdbd already know it?
sacct_exists() { [[ -n $(timeout 30 sacctmgr -nP show "$1" "$2" 2>/dev/null) ]]; }

setup_accounting() {
  sacct_exists cluster "$SLURM_CLUSTER" || sacct add cluster "$SLURM_CLUSTER"

  sacct_exists qos high || sacct add qos high
  sacct modify qos where name=normal set Priority=10 2>/dev/null || true
  sacct modify qos where name=high set Priority=100 MaxWall=2-00:00:00 2>/dev/null || true

  sacct_exists account physics ||
    sacct add account physics Cluster="$SLURM_CLUSTER" Description=physics Organization=science Fairshare=60 GrpTRES=cpu=32
  sacct_exists account chemistry ||
    sacct add account chemistry Cluster="$SLURM_CLUSTER" Description=chemistry Organization=science Fairshare=40

  sacct_exists user alice || sacct add user alice Account=physics Cluster="$SLURM_CLUSTER"
  sacct_exists user bob || sacct add user bob Account=physics Cluster="$SLURM_CLUSTER"
  sacct_exists user carol || sacct add user carol Account=chemistry Cluster="$SLURM_CLUSTER"
  # The data source's own identity: may see and act on every job (cancel/hold), but is no Slurm admin.
  sacct_exists user "$SLURM_API_USER" ||
    sacct add user "$SLURM_API_USER" Account=root AdminLevel=Operator Cluster="$SLURM_CLUSTER"
  sacct modify user where name="$SLURM_API_USER" set AdminLevel=Operator 2>/dev/null || true
  # QOS high is for alice only; everyone has normal.
  sacct modify user where name=alice set QOS=normal,high DefaultQOS=normal 2>/dev/null || true
  sacct modify user where name=bob,carol set QOS=normal DefaultQOS=normal 2>/dev/null || true

  # Verify rather than trust the exit codes (sacctmgr returns 1 for "nothing to change").
  local want got
  want="alice|physics|high,normal bob|physics|normal carol|chemistry|normal"
  got="$(timeout 30 sacctmgr -nP show assoc where user=alice,bob,carol format=user,account,qos | sort | tr '\n' ' ')"
  [[ ${got% } == "$want" ]] || die "slurmdbd associations are not as expected: got '$got', want '$want'"
  [[ $(timeout 30 sacctmgr -nP show user "$SLURM_API_USER" format=adminlevel) == Operator ]] ||
    die "slurmdbd user $SLURM_API_USER is not AdminLevel=Operator"
}
