#!/usr/bin/env bash
# ci_schedulers.sh up|down - install and start (or stop) the real schedulers the provider tests
# use: a one-node Slurm and a one-node Grid Engine, plus Open MPI and GNU parallel for the
# launcher tests, and a 3-node Slurm cluster (nodes in network namespaces, its own SLURM_CONF)
# for the multi-node block tests. Idempotent; `down` stops only the daemons `up` started (by
# their pid files). Knobs: SLURM_CPUS (default 8, oversubscribes so several test blocks run at
# once), SGE_SLOTS (default 8), CI_SCHEDULERS="slurm sge slurm-cluster" to choose which to start.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
which=${CI_SCHEDULERS:-slurm sge slurm-cluster}
cmd=${1:-up}

apt_need() { # apt_need PKG... -> installs the missing ones
  local need=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
  done
  [ ${#need[@]} -eq 0 ] && return 0
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; }
}

case $cmd in
  up)
    apt_need openmpi-bin parallel
    for s in $which; do
      case $s in
        slurm) SLURM_CPUS=${SLURM_CPUS:-8} "$here/slurm-up.sh" ;;
        sge) SGE_SLOTS=${SGE_SLOTS:-8} "$here/sge-up.sh" ;;
        slurm-cluster) "$here/slurm-cluster-up.sh" ;;
        *) echo "ci_schedulers: unknown scheduler $s" >&2; exit 2 ;;
      esac
    done
    ;;
  down)
    # Reverse order: the cluster shares munged with the one-node Slurm that started it.
    for s in $(printf '%s\n' $which | tac); do
      case $s in
        slurm-cluster) "$here/slurm-cluster-down.sh" ;;
        slurm) "$here/slurm-down.sh" ;;
        sge) "$here/sge-down.sh" ;;
      esac
    done
    ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
