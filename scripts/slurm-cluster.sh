#!/usr/bin/env bash
# A throwaway single-node Slurm 22.05 cluster for batchlink tests and benchmarks
# (munge + slurmctld + slurmd in one scratch directory, ports 16817/16818, 8 declared CPUs).
#   scripts/slurm-cluster.sh install      apt-get install slurm-wlm munge when missing (root)
#   scripts/slurm-cluster.sh start DIR    write DIR/slurm.conf, start the daemons, wait for an idle node
#   scripts/slurm-cluster.sh stop DIR     stop the daemons by their pid files (never by name)
#   scripts/slurm-cluster.sh status DIR   print the node state
# After start, use: export SLURM_CONF=DIR/slurm.conf
set -euo pipefail

START_DEADLINE_SECONDS=${SLURM_START_DEADLINE_SECONDS:-30}
STOP_DEADLINE_SECONDS=${SLURM_STOP_DEADLINE_SECONDS:-15}

die() { echo "slurm-cluster: $*" >&2; exit 1; }

cmd_install() {
  if command -v sbatch >/dev/null && command -v slurmctld >/dev/null && command -v munged >/dev/null; then
    echo "slurm-cluster: slurm-wlm and munge already installed"
    return 0
  fi
  [ "$(id -u)" = 0 ] || die "install needs root (apt-get install -y slurm-wlm munge)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq slurm-wlm munge >/dev/null
  command -v sbatch >/dev/null || die "sbatch still missing after apt-get install"
}

write_conf() {
  local s=$1
  cat >"$s/slurm.conf" <<CONF
ClusterName=batchlink
SlurmctldHost=localhost
SlurmUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$s/munge/munge.socket.2
StateSaveLocation=$s/state
SlurmdSpoolDir=$s/spool
SlurmctldPidFile=$s/slurmctld.pid
SlurmdPidFile=$s/slurmd.pid
SlurmctldLogFile=$s/log/slurmctld.log
SlurmdLogFile=$s/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$s/log/jobcomp.txt
SchedulerParameters=sched_min_interval=0,batch_sched_delay=0
DependencyParameters=kill_invalid_depend
SlurmdParameters=config_overrides
NodeName=localhost NodeAddr=127.0.0.1 CPUs=8 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
}

# alive PIDFILE: true when the pid file names a live process
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# dead PIDFILE: true when the pid file names a process that is gone
dead() { [ -s "$1" ] && ! kill -0 "$(cat "$1")" 2>/dev/null; }

node_state() { SLURM_CONF="$1/slurm.conf" sinfo -h -N -n localhost -o '%T' 2>/dev/null | head -n1; }

cmd_start() {
  local s=${1:-}; [ -n "$s" ] || die "usage: start DIR"
  command -v slurmctld >/dev/null || die "slurm is not installed: run '$0 install' first"
  mkdir -p "$s"; s=$(cd "$s" && pwd)
  if alive "$s/slurmctld.pid"; then die "a cluster already runs in $s (slurmctld pid $(cat "$s/slurmctld.pid"))"; fi
  local port
  for port in 16817 16818; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "port $port is already in use (another Slurm cluster from this script?); stop it first (its DIR holds slurm.conf with SlurmctldPort=16817)"
    fi
  done
  mkdir -p "$s/munge" "$s/state" "$s/spool" "$s/log" && chmod 700 "$s/munge"
  write_conf "$s"
  [ -s "$s/munge/munge.key" ] || mungekey -c -k "$s/munge/munge.key"
  munged -f --key-file="$s/munge/munge.key" --socket="$s/munge/munge.socket.2" \
    --pid-file="$s/munge/munged.pid" --log-file="$s/log/munged.log" --seed-file="$s/munge/munged.seed"
  slurmctld -f "$s/slurm.conf" -i
  slurmd -f "$s/slurm.conf" -N localhost
  local deadline=$((SECONDS + START_DEADLINE_SECONDS)) state=""
  while [ $SECONDS -lt $deadline ]; do
    state=$(node_state "$s" || true)
    case "$state" in idle|idle~|mixed|allocated) break ;; esac
    if dead "$s/slurmctld.pid" || dead "$s/slurmd.pid"; then state="a daemon exited"; break; fi
    sleep 0.2
  done
  case "$state" in
    idle|idle~|mixed|allocated) ;;
    *) echo "slurm-cluster: node not idle after ${START_DEADLINE_SECONDS}s (state '${state:-unknown}'); logs:" >&2
       tail -n 20 "$s/log/slurmctld.log" "$s/log/slurmd.log" >&2 || true
       cmd_stop "$s" || true
       exit 1 ;;
  esac
  echo "slurm-cluster: node localhost is $state; export SLURM_CONF=$s/slurm.conf"
}

# stop_pid PIDFILE NAME MATCH: SIGTERM the pid in PIDFILE, but only when that process's command
# line contains MATCH (this cluster's paths: a stale pid file must not hit a reused pid), and
# wait with a deadline until it is gone; SIGKILL if it ignores SIGTERM.
stop_pid() {
  local file=$1 name=$2 match=$3 pid cmdline
  [ -s "$file" ] || return 0
  pid=$(cat "$file")
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
  if [ -n "$cmdline" ] && [[ "$cmdline" == *"$match"* ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + STOP_DEADLINE_SECONDS))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "slurm-cluster: $name (pid $pid) ignored SIGTERM for ${STOP_DEADLINE_SECONDS}s; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  elif [ -n "$cmdline" ]; then
    echo "slurm-cluster: pid $pid from $file is not this cluster's $name ($cmdline); leaving it alone" >&2
  fi
  rm -f "$file"
}

cmd_stop() {
  local s=${1:-}; [ -n "$s" ] || die "usage: stop DIR"
  [ -d "$s" ] || die "no cluster directory $s"
  s=$(cd "$s" && pwd)
  stop_pid "$s/slurmrestd.pid" slurmrestd "$s/slurm.conf"
  stop_pid "$s/slurmd.pid" slurmd "$s/slurm.conf"
  stop_pid "$s/slurmctld.pid" slurmctld "$s/slurm.conf"
  stop_pid "$s/munge/munged.pid" munged "$s/munge/"
  echo "slurm-cluster: stopped the cluster in $s"
}

cmd_status() {
  local s=${1:-}; [ -n "$s" ] || die "usage: status DIR"
  alive "$s/slurmctld.pid" || die "slurmctld is not running in $s"
  echo "node localhost: $(node_state "$s")"
}

case "${1:-}" in
  install) cmd_install ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; cmd_status "$@" ;;
  *) echo "usage: $0 install | start DIR | stop DIR | status DIR" >&2; exit 2 ;;
esac
