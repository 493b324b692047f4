#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, from Debian's slurm-wlm and munge packages, for the Slurm integration test
# (issue 27) and for trying examples/studies/slurm/ by hand:
#
#   scripts/slurm/cluster.sh start DIR   writes DIR/slurm.conf, starts munged, slurmctld and slurmd (no systemd), waits
#                                        until the node is idle and prints the line to use it:
#                                        export SLURM_CONF=DIR/slurm.conf
#   scripts/slurm/cluster.sh stop DIR    cancels the cluster's jobs and stops the three daemons by their pid files.
#
# Everything lives in DIR: munge's key and socket (a munged of its own, so a system munge is neither needed nor
# touched), the state, spool, pid and log files, and free TCP ports chosen at start, so two clusters (two test runs)
# can run side by side. Needs root (slurmd runs jobs as their submitter; SlurmUser=root).
set -euo pipefail

die() { echo "slurm cluster: $*" >&2; exit 1; }

usage() { die "usage: $0 start|stop DIR"; }

# A TCP port nobody listens on, from a range away from the usual services.
free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 20000))
        # A refused connection means nobody listens there (bash's /dev/tcp: no ss or netstat needed).
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && ! grep -qx "$port" "$DIR/ports" 2>/dev/null; then
            echo "$port" >>"$DIR/ports"
            echo "$port"
            return
        fi
    done
    die "no free TCP port found"
}

# Waits up to $1 seconds for the command that follows to succeed.
wait_for() {
    local seconds=$1
    shift
    for _ in $(seq 1 $((seconds * 4))); do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.25
    done
    return 1
}

start_munge() {
    local munge=$DIR/munge
    mkdir -p "$munge"
    dd if=/dev/urandom of="$munge/munge.key" bs=1024 count=1 status=none
    chown -R munge:munge "$munge"
    chmod 700 "$munge"
    chmod 400 "$munge/munge.key"
    runuser -u munge -- /usr/sbin/munged --force --socket="$munge/munge.socket" --key-file="$munge/munge.key" \
        --pid-file="$munge/munged.pid" --log-file="$munge/munged.log" --seed-file="$munge/munged.seed" \
        || die "munged did not start: $(tail -n 3 "$munge/munged.log" 2>/dev/null)"
    wait_for 10 bash -c "munge -n -S '$munge/munge.socket' | unmunge -S '$munge/munge.socket'" \
        || die "munge does not answer on $munge/munge.socket"
}

write_config() {
    local host node
    host=$(hostname -s)
    # slurmd -C describes this machine as Slurm sees it (CPUs, sockets, memory), so the node never registers with
    # less than its configuration says (which would drain it). Both daemons are reached at 127.0.0.1, so the host name
    # need not resolve (containers, CI runners).
    node=$(slurmd -C | head -n 1)
    [[ $node == NodeName=* ]] || die "slurmd -C did not describe this machine: $node"
    mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log"
    cat >"$DIR/slurm.conf" <<EOF
ClusterName=hybrid
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$DIR/munge/munge.socket
SlurmUser=root
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

node_idle() { [ "$(sinfo -h -N -o %t)" = idle ]; }

start() {
    [ "$(id -u)" -eq 0 ] || die "needs root (slurmd runs jobs as the user who submitted them)"
    for program in /usr/sbin/munged /usr/sbin/slurmctld /usr/sbin/slurmd sbatch munge; do
        command -v "$program" >/dev/null || die "$program is missing: apt-get install -y slurm-wlm munge"
    done
    [ ! -e "$DIR/slurm.conf" ] || die "$DIR already holds a cluster: stop it first, or use another folder"
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd)
    start_munge
    write_config
    export SLURM_CONF=$DIR/slurm.conf
    # -c: a fresh state (no jobs of an earlier cluster in this folder). Both daemonise once they are listening.
    /usr/sbin/slurmctld -c || die "slurmctld did not start: $(tail -n 5 "$DIR/log/slurmctld.log" 2>/dev/null)"
    /usr/sbin/slurmd -c || die "slurmd did not start: $(tail -n 5 "$DIR/log/slurmd.log" 2>/dev/null)"
    wait_for 30 node_idle || die "the node is not idle after 30 s: $(sinfo -N 2>&1); $(tail -n 5 "$DIR/log/slurmd.log")"
    echo "export SLURM_CONF=$SLURM_CONF"
}

# Sends TERM to the process in a pid file, then KILL when it has not ended within 10 s.
stop_daemon() {
    local pid_file=$1 pid
    [ -s "$pid_file" ] || return 0
    pid=$(cat "$pid_file")
    kill -TERM "$pid" 2>/dev/null || return 0
    wait_for 10 bash -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null || true
}

stop() {
    [ -e "$DIR/slurm.conf" ] || die "$DIR holds no cluster (no slurm.conf)"
    export SLURM_CONF=$DIR/slurm.conf
    # Jobs first, while the controller can still end them (their processes belong to slurmstepd, not to slurmd).
    if [ -s "$DIR/slurmctld.pid" ] && kill -0 "$(cat "$DIR/slurmctld.pid")" 2>/dev/null; then
        scancel --full --quiet --user="$(id -un)" 2>/dev/null || true
        wait_for 30 bash -c '[ -z "$(squeue -h -t running,completing -o %A)" ]' || true
    fi
    stop_daemon "$DIR/slurmd.pid"
    stop_daemon "$DIR/slurmctld.pid"
    stop_daemon "$DIR/munge/munged.pid"
}

[ $# -eq 2 ] || usage
DIR=$2
case $1 in
start) start ;;
stop) stop ;;
*) usage ;;
esac
