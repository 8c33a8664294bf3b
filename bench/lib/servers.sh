# Starting and stopping each system under test in the server namespace of the side-by-side
# benchmarks. Source after common.sh, knot.sh and scripts/lib/pop-netns.sh, then call
# servers_init, which sets $prefix (the topology) and $work (scratch dir). Each server is pinned
# to $RCB_SERVER_CPU; servers_each runs a benchmark's body against each system in turn.
#
# Every server_start_<system> ZONEFILE leaves $server_pid set (RCB_RINGCAST_EXTRA_TOML: more
# tables for ringcast's config, such as a [[site]]); server_stop undoes whatever
# start did (process, kernel address, XDP program).

SERVER_START_TIMEOUT_S=120
SERVER_SETTLE_S=1 # between systems: lets queues drain and TIME-WAIT connections age
server_pid=
server_kernel_vip=  # set when the kernel owns the VIP (peers), so ARP is the kernel's job

# servers_init TOPOLOGY SCRATCH: the namespaces "TOPOLOGY<pid>-*" and an empty $RCB_SCRATCH/SCRATCH,
# both removed on exit with whatever server runs.
servers_init() {
    prefix=$1$$
    work=$RCB_SCRATCH/$2
    rm -rf "$work"
    mkdir -p "$work"
    trap servers_cleanup EXIT
}
servers_cleanup() {
    server_stop
    pop_netns_destroy "$prefix"
}

# servers_each BODY ZONEFILE SYSTEM...: starts each SYSTEM on ZONEFILE (server_start_<system>),
# waits for servers_ready, runs BODY SYSTEM and stops it. A system that does not come up is
# skipped, with its logs left in $work. ringcast's non-zero counters over its run (its reasons
# for every unanswered frame) go to $work/ringcast.counters for servers_print_counters.
servers_each() {
    local body=$1 zonefile=$2 system
    shift 2
    for system in "$@"; do
        rcb_log "$system: starting on cpu $RCB_SERVER_CPU"
        if ! "server_start_$system" "$zonefile" || [ -z "$server_pid" ] || ! servers_ready; then
            rcb_log "$system did not answer: skipped (logs in $work/)"
            server_stop
            continue
        fi
        "$body" "$system"
        if [ "$system" = ringcast ]; then
            awk '$2 != 0 && $1 !~ /^dns_rcode_/' "$work/ringcast/run/stats" \
                >"$work/ringcast.counters" 2>/dev/null || true
        fi
        server_stop
        sleep "$SERVER_SETTLE_S"
    done
}
# What "answering" means beyond server_start's own DNS check; a benchmark may redefine it.
servers_ready() { true; }

servers_print_counters() {
    [ -s "$work/ringcast.counters" ] || return 0
    echo "   ringcast non-zero counters over its whole run:"
    sed 's/^/     /' "$work/ringcast.counters"
}

server_stop() {
    rcb_stop_pid "$server_pid"
    server_pid=
    if [ -n "$server_kernel_vip" ]; then
        ip -n "$prefix-pop" addr del "$POP_VIP_V4/24" dev srv0 2>/dev/null || true
        server_kernel_vip=
    fi
    # An XDP program left attached (Knot's, or libxdp's dispatcher) would steal the next
    # server's packets.
    ip -n "$prefix-pop" link set srv0 xdp off 2>/dev/null || true
}

# The peers answer on a kernel address; ringcast's dataplane owns the VIP itself.
server_add_kernel_vip() {
    ip -n "$prefix-pop" addr add "$POP_VIP_V4/24" dev srv0
    server_kernel_vip=1
}

server_wait() {
    pop_wait_answering "$prefix" "$SERVER_START_TIMEOUT_S" || {
        server_stop
        return 1
    }
}

server_start_ringcast() {
    local zonefile=$1
    mkdir -p "$work/ringcast"
    cat >"$work/ringcast/ringcast.toml" <<TOML
[pop]
name = "pop-bench"
[paths]
runtime_dir = "$work/ringcast/run"
[dataplane]
eal = ["-l", "$RCB_SERVER_CPU", "--no-huge", "-m", "512", "--no-pci", "--no-shconf", "--log-level", "*:warning"]
ports = ["net_af_xdp0,iface=srv0${RCB_AF_XDP_ARGS:-}"]
idle_sleep_us = ${RCB_IDLE_SLEEP_US:-0}
vips = ["$POP_VIP_V4"]
[[zone]]
origin = "$RCB_ORIGIN"
file = "$zonefile"
${RCB_RINGCAST_EXTRA_TOML:-}
TOML
    ip netns exec "$prefix-pop" taskset -c "$RCB_SERVER_CPU" \
        "$RCB_BUILD/controlplane/ringcastd/ringcastd" --config "$work/ringcast/ringcast.toml" \
        >"$work/ringcast/ringcastd.log" 2>&1 </dev/null &
    server_pid=$!
    server_wait
}

# server_start_knot NAME ZONEFILE [XDP_IFACE]: knotd with its config in $work/NAME, answering on
# the kernel VIP, and through XDP on XDP_IFACE when given.
server_start_knot() {
    local name=$1 zonefile=$2 xdp_iface=${3:-}
    server_add_kernel_vip
    rm -rf "${work:?}/$name"
    knot_write_config "$work/$name" "$zonefile" "$POP_VIP_V4" "$xdp_iface"
    ip netns exec "$prefix-pop" taskset -c "$RCB_SERVER_CPU" knotd -c "$work/$name/knot.conf" \
        >"$work/$name/knotd.log" 2>&1 </dev/null &
    server_pid=$!
    server_wait
}

server_start_knot_xdp() { server_start_knot knot-xdp "$1" srv0; }

server_start_knot_sockets() { server_start_knot knot-sockets "$1"; }

server_start_nsd() {
    local dir=$work/nsd
    server_add_kernel_vip
    rm -rf "$dir"
    mkdir -p "$dir"
    # One server process, no chroot and no privilege drop: it lives in a scratch directory.
    cat >"$dir/nsd.conf" <<CONF
server:
    ip-address: $POP_VIP_V4
    port: 53
    server-count: 1
    username: ""
    chroot: ""
    zonesdir: "$dir"
    database: ""
    zonelistfile: "$dir/zone.list"
    xfrdfile: "$dir/xfrd.state"
    pidfile: "$dir/nsd.pid"
    logfile: "$dir/nsd.log"
    verbosity: 0
    # Debian builds NSD with response rate limiting on (200 qps per /24): a benchmark from one
    # client address would measure the limiter, so it is off, as it is by default in Knot.
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: $RCB_ORIGIN
    zonefile: "$1"
CONF
    ip netns exec "$prefix-pop" taskset -c "$RCB_SERVER_CPU" nsd -d -c "$dir/nsd.conf" \
        >"$dir/nsd.stdout" 2>&1 </dev/null &
    server_pid=$!
    server_wait
}
