# Shared by the integration tests: checks that count, a PoP topology per test, and ringcastd
# started the way an operator starts it. Source after setting `mode` (af_xdp or af_packet).
#
# Environment (set by tests/integration/meson.build): RINGCAST_SOURCE_DIR, RINGCAST_BUILD_DIR.

set -uo pipefail
: "${RINGCAST_SOURCE_DIR:?}" "${RINGCAST_BUILD_DIR:?}"
. "$RINGCAST_SOURCE_DIR/scripts/lib/pop-netns.sh"
. "$RINGCAST_SOURCE_DIR/tests/lib/checks.sh"

RINGCASTD=$RINGCAST_BUILD_DIR/controlplane/ringcastd/ringcastd
RINGCASTCTL=$RINGCAST_BUILD_DIR/controlplane/ringcastctl/ringcastctl

# A fresh scratch directory and namespace prefix per test run.
work=$(mktemp -d /tmp/ringcast-it.XXXXXX)
prefix=rc$$
daemon_pid=

# stop_process PID: SIGTERM, up to 10 s to exit, then SIGKILL. Nothing when PID is empty or gone.
stop_process() {
    local pid=$1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null
}

cleanup() {
    stop_process "$daemon_pid"
    pop_netns_destroy "$prefix"
    rm -rf "$work"
}
trap cleanup EXIT

# port_string MODE: the DPDK device string for srv0 in the given PMD mode. "af_packet-2q" is
# two lcores, each with its queue pair, fed by the socket fanout's flow hash.
port_string() {
    case "$1" in
        af_xdp) echo "net_af_xdp0,iface=srv0" ;;
        af_packet) echo "net_af_packet0,iface=srv0" ;;
        af_packet-2q) echo "net_af_packet0,iface=srv0,qpairs=2" ;;
        *) echo "unknown mode $1" >&2; return 1 ;;
    esac
}

# lcore_list MODE: the EAL lcores for the mode.
lcore_list() {
    case "$1" in
        *-2q) echo "0-1" ;;
        *) echo "1" ;;
    esac
}

# write_config POP_NAME MODE ZONE_ORIGIN ZONE_FILE [ORIGIN FILE ...]: a config in $work.
write_config() {
    local pop=$1 mode=$2; shift 2
    cat >"$work/ringcast.toml" <<TOML
[pop]
name = "$pop"
[paths]
runtime_dir = "$work/run"
[dataplane]
eal = ["-l", "$(lcore_list "$mode")", "--no-huge", "-m", "512", "--no-pci", "--no-shconf", "--file-prefix", "$prefix", "--log-level", "*:warning"]
ports = ["$(port_string "$mode")"]
vips = ["$POP_VIP_V4", "$POP_VIP_V6"]
TOML
    while [ $# -ge 2 ]; do
        printf '[[zone]]\norigin = "%s"\nfile = "%s"\n' "$1" "$2" >>"$work/ringcast.toml"
        shift 2
    done
}

# append_host_records FILE COUNT: COUNT A records (h1 ... hCOUNT, in 198.51.100.0/24) at the end of
# a zone file, for a zone whose compile must hold more than a few MiB (compile_memory_limit).
append_host_records() {
    awk -v n="$2" 'BEGIN { for (i = 1; i <= n; i++) printf "h%d A 198.51.100.%d\n", i, i % 254 + 1 }' >>"$1"
}

# start_pop: starts ringcastd in the PoP namespace and waits until the VIP answers.
start_pop() {
    ip netns exec "$prefix-pop" "$RINGCASTD" --config "$work/ringcast.toml" \
        >"$work/ringcastd.log" 2>&1 </dev/null &
    daemon_pid=$!
    if pop_wait_answering "$prefix" 30; then
        pass "ringcastd started and the VIP answers"
    else
        fail "ringcastd started and the VIP answers" "$(cat "$work/ringcastd.log")"
        finish
        exit 1
    fi
}

# stop_pop: SIGTERM to ringcastd, which stops the dataplane; waits for both.
stop_pop() {
    kill "$daemon_pid" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
    wait "$daemon_pid" 2>/dev/null
    local status=$?
    daemon_pid=
    return $status
}

# counter NAME: the dataplane's current value of counter NAME (from its stats file).
counter() {
    awk -v n="$1" '$1 == n { print $2; found = 1 } END { if (!found) print 0 }' "$work/run/stats" 2>/dev/null
}

# wait_stats: lets the dataplane rewrite its stats file (it does so every second).
wait_stats() { sleep 1.5; }
