#!/usr/bin/env bash
# slurm-cluster-up.sh - a MULTI-node Slurm cluster on this one machine (Debian 12,
# root, no systemd). Each compute node is a network namespace (`ip netns`
# tsfnodeN) plus a persistent UTS namespace (hostname nodeN) running its own
# slurmd; a veth pair joins it to a bridge in the root namespace, where
# slurmctld runs. Nothing is routed anywhere else (no NAT, no default route).
# Coexists with slurm-up.sh's one-node cluster: own SLURM_ROOT, ClusterName,
# ports and state/spool/log/pid paths; shares munged (its unix socket works
# across network namespaces); never touches /etc/slurm/slurm.conf, so clients
# need SLURM_CONF (printed at the end). Idempotent: re-running it while the
# cluster is up only re-checks it (and re-ups links that were set down).
#
#   node i:  netns tsfnode<i>, hostname node<i>, address $SUBNET.(10+i),
#            eth0 inside <-> tsfveth<i> in the root namespace, on the bridge
#   bridge:  tsfbr0, $SUBNET.1/24 - slurmctld, and any driver/interchange that
#            pools inside the nodes must reach, listen on this address
#            (slurmctld itself binds 0.0.0.0:6917: CommunicationParameters=
#            NoCtldInAddrAny would bind what `hostname` resolves to, 127.0.0.1
#            in /etc/hosts here, and the nodes could not reach it)
#   run X on a node:  ip netns exec tsfnode1 nsenter --uts=$SLURM_ROOT/ns/node1.uts X
#            (ip netns exec also bind-mounts /etc/netns/tsfnode1/{hosts,resolv.conf}:
#            nodeN and this host's name resolve to the bridge network, no DNS;
#            slurmd and its jobs get the same two files by their own mount ns)
#
# Env knobs (all optional):
#   SLURM_ROOT=/tmp/tsflow-slurm-multi  state/log/spool/pid/conf/ns directory
#   NODES=3                      number of fake nodes (1..200)
#   SLURM_NODE_CPUS=2            CPUs each node advertises (oversubscribes the
#   SLURM_NODE_MEM=2000          real cores on purpose); RealMemory in MB
#   SLURM_CLUSTER=tsfmulti       ClusterName
#   SLURM_PARTITION=debug        name of the (default) partition
#   SLURM_CTLD_PORT=6917         SlurmctldPort (the one-node cluster uses 6817)
#   SLURM_SLURMD_PORT=6918       SlurmdPort    (the one-node cluster uses 6818)
#   SLURM_SLURMD_TIMEOUT=20      SlurmdTimeout: silence before a node is DOWN
#                                (Slurm's default is 300; 20 keeps the node-loss
#                                test short: DOWN ~20-30 s after the cut)
#   SLURM_CRED_EXPIRE=30         AuthInfo cred_expire: also how long a requeued
#                                job is held before it may start again (default
#                                120, which makes a requeue take ~140 s)
#   TSF_BRIDGE=tsfbr0            bridge name (keep the tsf prefix)
#   TSF_SUBNET=10.201.0          /24 prefix: bridge .1, node i .(10+i)
#   SLURM_CLEAN=1                wipe $SLURM_ROOT state (job ids restart at 1)
#   SLURM_APT_RECOMMENDS=1       install Recommends too
#   SLURM_WAIT=120               seconds to wait for all nodes to become idle
#   SLURM_SCHED_PARAMS=batch_sched_delay=0   SchedulerParameters
set -euo pipefail

SLURM_ROOT=${SLURM_ROOT:-/tmp/tsflow-slurm-multi}
NODES=${NODES:-3}
NODE_CPUS=${SLURM_NODE_CPUS:-2}
NODE_MEM=${SLURM_NODE_MEM:-2000}
CLUSTER=${SLURM_CLUSTER:-tsfmulti}
PARTITION=${SLURM_PARTITION:-debug}
CTLD_PORT=${SLURM_CTLD_PORT:-6917}
SLURMD_PORT=${SLURM_SLURMD_PORT:-6918}
SLURMD_TIMEOUT=${SLURM_SLURMD_TIMEOUT:-20}
CRED_EXPIRE=${SLURM_CRED_EXPIRE:-30}
BR=${TSF_BRIDGE:-tsfbr0}
SUBNET=${TSF_SUBNET:-10.201.0}
WAIT=${SLURM_WAIT:-120}
CONF_DIR=$SLURM_ROOT/etc
CONF=$CONF_DIR/slurm.conf
RUN=$SLURM_ROOT/run
LOG=$SLURM_ROOT/log
NSDIR=$SLURM_ROOT/ns
BRADDR=$SUBNET.1
HERE=$(cd "$(dirname "$0")" && pwd)
ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
t0=$(ms)
log() { local d=$(( $(ms) - t0 )); printf '[slurm-cluster-up %4d.%01ds] %s\n' $((d / 1000)) $((d % 1000 / 100)) "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
alive() { # alive PIDFILE NAME -> true if pidfile names a live (non-zombie) NAME
  local p; [ -s "$1" ] || return 1; p=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$p" ] && [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$2" ] \
    && ! grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null
}
node() { echo "node$1"; }            # Slurm node name = hostname in its UTS ns
ns() { echo "tsfnode$1"; }           # network namespace
veth() { echo "tsfveth$1"; }         # root-side end of the node's veth pair
addr() { echo "$SUBNET.$((10 + $1))"; }
no_ipv6() { # no_ipv6 [NETNS] IF : no link-local addresses / RS / MLD chatter
  if [ $# = 2 ]; then ip netns exec "$1" sh -c "echo 1 >/proc/sys/net/ipv6/conf/$2/disable_ipv6" 2>/dev/null || true
  else [ -w "/proc/sys/net/ipv6/conf/$1/disable_ipv6" ] && echo 1 >"/proc/sys/net/ipv6/conf/$1/disable_ipv6" || true; fi
}

[ "$(id -u)" = 0 ] || die "must run as root"
[[ $NODES =~ ^[0-9]+$ ]] && [ "$NODES" -ge 1 ] && [ "$NODES" -le 200 ] || die "NODES must be 1..200, got '$NODES'"
[[ $BR == tsf* ]] || die "TSF_BRIDGE must start with tsf (down removes only tsf* links), got '$BR'"
[[ $SUBNET =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "TSF_SUBNET must be a /24 prefix like 10.201.0, got '$SUBNET'"
[ "$SLURM_ROOT" != /tmp/tsflow-slurm ] || die "SLURM_ROOT=/tmp/tsflow-slurm belongs to the one-node cluster (slurm-up.sh)"
if [ -s "$RUN/nodes" ] && [ "$(wc -l <"$RUN/nodes")" != "$NODES" ]; then
  die "cluster is up with $(wc -l <"$RUN/nodes") nodes; run slurm-cluster-down.sh before changing NODES"
fi
if [ "${SLURM_CLEAN:-0}" = 1 ] && alive "$RUN/slurmctld.pid" slurmctld; then
  die "SLURM_CLEAN=1 needs the daemons stopped first (slurm-cluster-down.sh)"
fi
mkdir -p "$CONF_DIR" "$RUN" "$LOG" "$NSDIR" "$SLURM_ROOT/spool" "$SLURM_ROOT/state"

# ---------------------------------------------------------------- 1. install
need=()
for pkg in slurmctld slurmd slurm-client munge iproute2 util-linux; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  rec=--no-install-recommends; [ "${SLURM_APT_RECOMMENDS:-0}" = 1 ] && rec=
  # shellcheck disable=SC2086
  if ! apt-get install -y -q $rec "${need[@]}" >"$LOG/apt.log" 2>&1; then
    log "apt-get install failed, running apt-get update and retrying"
    apt-get update -q >>"$LOG/apt.log" 2>&1
    # shellcheck disable=SC2086
    apt-get install -y -q $rec "${need[@]}" >>"$LOG/apt.log" 2>&1 \
      || { tail -20 "$LOG/apt.log"; die "apt-get install failed"; }
  fi
  log "install done"
fi

# ---------------------------------------------------------------- 2. munge
# One munged serves both clusters and every namespace (unix socket on the
# shared filesystem). Started here only if none answers; then marked as ours.
if [ ! -s /etc/munge/munge.key ]; then
  log "creating munge key"
  if command -v mungekey >/dev/null; then mungekey --create --force
  else dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none; fi
fi
chown munge:munge /etc/munge /etc/munge/munge.key
chmod 0700 /etc/munge; chmod 0600 /etc/munge/munge.key
mkdir -p /run/munge /var/lib/munge /var/log/munge
chown munge:munge /run/munge /var/lib/munge /var/log/munge
chmod 0755 /run/munge
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  log "munged already running"
else
  rm -f "$RUN/munged.pid"
  log "starting munged"
  runuser -u munge -- /usr/sbin/munged --force \
    || die "munged failed: $(tail -5 /var/log/munge/munged.log)"
  for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  cp /run/munge/munged.pid "$RUN/munged.pid"   # marks "munged started by us"
  munge -n | unmunge >/dev/null || die "munge round trip failed"
fi

# ---------------------------------------------------------------- 3. network
# The bridge and every node's namespace, veth pair, address, /etc overrides and
# UTS namespace. Each step only does what is missing.
if ! ip link show "$BR" >/dev/null 2>&1; then
  log "creating bridge $BR ($BRADDR/24)"
  ip link add "$BR" type bridge
fi
no_ipv6 "$BR"
ip addr replace "$BRADDR/24" dev "$BR"
ip link set "$BR" up
HOSTS="127.0.0.1 localhost
$BRADDR $(hostname -s)"
for i in $(seq "$NODES"); do HOSTS+=$'\n'"$(addr "$i") $(node "$i")"; done
: >"$RUN/nodes.new"
for i in $(seq "$NODES"); do
  n=$(node "$i") s=$(ns "$i") v=$(veth "$i") a=$(addr "$i") uts=$NSDIR/$(node "$i").uts
  if ! ip netns list | grep -qx "$s\( .*\)\?"; then
    log "creating namespace $s ($n, $a)"
    ip netns add "$s"
  fi
  if ! ip link show "$v" >/dev/null 2>&1 || ! ip -n "$s" link show eth0 >/dev/null 2>&1; then
    ip link del "$v" 2>/dev/null || true
    ip link add "$v" type veth peer name "tsfvp$i"
    ip link set "tsfvp$i" netns "$s"
    ip -n "$s" link set "tsfvp$i" name eth0
  fi
  no_ipv6 "$v"; no_ipv6 "$s" eth0; no_ipv6 "$s" lo
  ip link set "$v" master "$BR"
  ip link set "$v" up
  ip -n "$s" link set lo up
  ip -n "$s" addr replace "$a/24" dev eth0
  ip -n "$s" link set eth0 up
  # `ip netns exec` bind-mounts /etc/netns/<ns>/* over /etc/*: names of the
  # nodes and of this host (-> bridge), and no nameserver (DNS fails locally).
  mkdir -p "/etc/netns/$s"
  printf '%s\n' "$HOSTS" >"/etc/netns/$s/hosts"
  printf '# tsf node %s: no DNS (slurm-cluster-up.sh)\noptions timeout:1 attempts:1\n' "$n" >"/etc/netns/$s/resolv.conf"
  if [ "$(stat -f -c %T "$uts" 2>/dev/null)" != nsfs ]; then
    touch "$uts"
    unshare --uts="$uts" hostname "$n" || die "cannot create UTS namespace $uts"
  fi
  [ "$(nsenter --uts="$uts" hostname)" = "$n" ] || nsenter --uts="$uts" hostname "$n"
  echo "$n $s $v $a $uts" >>"$RUN/nodes.new"
done
echo "$BR $BRADDR" >"$RUN/bridge"
mv "$RUN/nodes.new" "$RUN/nodes"

# ---------------------------------------------------------------- 4. config
HOST=$(hostname -s)
NODE_LINES= NODELIST=$(node 1)
for i in $(seq 2 "$NODES"); do NODELIST+=,$(node "$i"); done
for i in $(seq "$NODES"); do
  NODE_LINES+="NodeName=$(node "$i") NodeAddr=$(addr "$i") NodeHostname=$(node "$i") CPUs=$NODE_CPUS RealMemory=$NODE_MEM State=UNKNOWN"$'\n'
done
cat >"$CONF.new" <<EOF
# generated by slurm-cluster-up.sh - $NODES fake nodes in network namespaces
ClusterName=$CLUSTER
SlurmctldHost=$HOST($BRADDR)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=cred_expire=$CRED_EXPIRE
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=30
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$LOG/jobcomp.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=512
ReturnToService=2
MinJobAge=300
SchedulerParameters=${SLURM_SCHED_PARAMS-batch_sched_delay=0}
SlurmdParameters=config_overrides
KillWait=5
InactiveLimit=0
Waittime=0
SlurmctldTimeout=60
SlurmdTimeout=$SLURMD_TIMEOUT
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
StateSaveLocation=$SLURM_ROOT/state
SlurmdSpoolDir=$SLURM_ROOT/spool/%n
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd-%n.pid
SlurmctldLogFile=$LOG/slurmctld.log
SlurmdLogFile=$LOG/slurmd-%n.log
SlurmctldDebug=info
SlurmdDebug=info
${NODE_LINES}PartitionName=$PARTITION Nodes=$NODELIST Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
changed=0
if ! cmp -s "$CONF.new" "$CONF"; then mv "$CONF.new" "$CONF"; changed=1; else rm -f "$CONF.new"; fi
export SLURM_CONF=$CONF

# ---------------------------------------------------------------- 5. daemons
any_up() {
  alive "$RUN/slurmctld.pid" slurmctld && return 0
  for i in $(seq "$NODES"); do alive "$RUN/slurmd-$(node "$i").pid" slurmd && return 0; done
  return 1
}
if [ "${SLURM_CLEAN:-0}" = 1 ]; then
  log "wiping state in $SLURM_ROOT"
  rm -rf "${SLURM_ROOT:?}/state/"* "${SLURM_ROOT:?}/spool/"* "$LOG/jobcomp.log"
fi
if [ $changed = 1 ] && any_up; then
  log "slurm.conf changed, restarting daemons"
  "$HERE/slurm-cluster-down.sh" --daemons-only
fi

if alive "$RUN/slurmctld.pid" slurmctld; then log "slurmctld already running"
else
  log "starting slurmctld on $BRADDR:$CTLD_PORT"
  # without -D it daemonizes (setsid) and writes SlurmctldPidFile itself
  slurmctld -i -f "$CONF" >>"$LOG/slurmctld.out" 2>&1 || die "slurmctld: $(tail -5 "$LOG/slurmctld.log")"
fi
for i in $(seq "$NODES"); do
  n=$(node "$i")
  if alive "$RUN/slurmd-$n.pid" slurmd; then log "slurmd $n already running"; continue; fi
  log "starting slurmd $n in $(ns "$i")"
  mkdir -p "$SLURM_ROOT/spool/$n"
  # Not `ip netns exec`: it remounts /sys, hiding /sys/fs/cgroup, and slurmd
  # then fails ("Unable to initialize cgroup plugin"). Instead: enter the net
  # and UTS namespaces, and a private mount namespace where the node's
  # /etc/hosts and resolv.conf are bind-mounted, inherited by every job.
  # slurmd daemonizes and writes SlurmdPidFile (%n = node name) itself.
  s=$(ns "$i")
  nsenter --net="/run/netns/$s" --uts="$NSDIR/$n.uts" -- \
    unshare --mount --propagation slave -- sh -c '
      mount --bind "/etc/netns/$1/hosts" /etc/hosts &&
      mount --bind "/etc/netns/$1/resolv.conf" /etc/resolv.conf &&
      exec slurmd -f "$2" -N "$3"' sh "$s" "$CONF" "$n" >>"$LOG/slurmd-$n.out" 2>&1 \
    || die "slurmd $n: $(tail -5 "$LOG/slurmd-$n.log" "$LOG/slurmd-$n.out")"
done

# ---------------------------------------------------------------- 6. wait
# All nodes idle, and each registered by the slurmd started now (after a
# restart the state file brings back the old state before slurmd registers).
names=$(for i in $(seq "$NODES"); do node "$i"; done)
bad= i=0 deadline=$((SECONDS + WAIT))
while [ $SECONDS -lt $deadline ]; do
  bad=
  states=$(timeout 5 sinfo -h -N -o '%N %T' 2>/dev/null || true)
  for n in $names; do
    st=$(awk -v n="$n" '$1 == n { print $2; exit }' <<<"$states")
    reg=$(timeout 5 scontrol show node "$n" 2>/dev/null | sed -n 's/.*SlurmdStartTime=\([^ ]*\).*/\1/p' || true)
    reg=$(date -d "$reg" +%s 2>/dev/null || echo 0)
    [ "$reg" -ge $(($(stat -c %Y "$RUN/slurmd-$n.pid" 2>/dev/null || echo 0) - 1)) ] || st="unregistered:$st"
    case $st in
      idle|mixed|allocated|completing) ;;
      down*|drain*|fail*)   # left over from an unclean stop, or a link that was down:
        # Slurm 22.05 does not ping DOWN nodes, so without a RESUME it stays down
        bad+=" $n=$st"
        [ $((i % 10)) = 2 ] && { timeout 5 scontrol update NodeName="$n" State=RESUME 2>/dev/null || true; } ;;
      *) bad+=" $n=${st:-none}" ;;
    esac
  done
  [ -z "$bad" ] && break
  i=$((i + 1)); sleep 0.5
done
if [ -n "$bad" ]; then
  tail -n 20 "$LOG/slurmctld.log" "$LOG"/slurmd-node*.log >&2 || true
  die "nodes not idle:$bad"
fi
log "cluster up: $NODES nodes idle"
sinfo
cat >&2 <<EOF

Use it (the one-node cluster keeps /etc/slurm/slurm.conf; this one needs SLURM_CONF):
  export SLURM_CONF=$CONF
  srun -N $NODES hostname                 # $(node 1) ... $(node "$NODES")
Anything that pools inside the nodes must connect back to (interchange, driver)
listens on the bridge address $BRADDR (or 0.0.0.0), not 127.0.0.1, e.g.
  new HighThroughputExecutor({ address: "$BRADDR", ... })
Run a command on a node:  ip netns exec $(ns 1) nsenter --uts=$NSDIR/$(node 1).uts <cmd>
Cut a node off:           ip link set $(veth 1) down      (up again: ip link set $(veth 1) up)
Logs: $LOG    Stop: $HERE/slurm-cluster-down.sh
EOF
