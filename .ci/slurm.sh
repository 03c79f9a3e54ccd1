#!/usr/bin/env bash
# CI helper: installs Slurm 22.05 + munge (apt, when missing) and starts the single-node test
# cluster of scripts/slurm-cluster.sh. Prints ONLY the slurm.conf path on stdout (everything
# else goes to stderr), so CI can do:
#   export BATCHLINK_SLURM_CONF="$(.ci/slurm.sh start)"   ...   .ci/slurm.sh stop
# Directory: $BATCHLINK_SLURM_DIR (default /tmp/batchlink-slurm-ci). Exit status non-zero when
# the cluster could not be started (the Slurm contract tests then skip and say why).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${BATCHLINK_SLURM_DIR:-/tmp/batchlink-slurm-ci}
cluster="$here/scripts/slurm-cluster.sh"

case "${1:-start}" in
  start)
    "$cluster" install >&2
    if [ -s "$dir/slurmctld.pid" ] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null; then
      echo "slurm.sh: reusing the cluster already running in $dir" >&2
    else
      "$cluster" start "$dir" >&2
    fi
    echo "$dir/slurm.conf"
    ;;
  stop)
    "$cluster" stop "$dir" >&2
    ;;
  *)
    echo "usage: $0 [start|stop]" >&2
    exit 2
    ;;
esac
