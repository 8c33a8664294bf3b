#!/usr/bin/env bash
# DNS over TCP (RFC 7766) side by side on one veth pair (scripts/lib/pop-netns.sh), the server
# pinned to one cpu and the load generator to the other, the same zone and query mix for all:
#   - ringcast: ringcastd + dataplane on net_af_xdp, one lcore, its own TCP (dataplane/tcp/);
#   - knot_xdp: knotd in XDP mode with its XDP TCP (`xdp: tcp: on`, knot.conf(5));
#   - knot_sockets: knotd on kernel sockets (one TCP worker).
# Each is driven by kxdpgun -T (TCP from XDP on the client: a new connection per query, at rising
# offered rates) and by dnsperf -m tcp (the client kernel's TCP, a few long connections, closed
# loop). kxdpgun figures are compared to Knot XDP's, dnsperf figures to Knot on sockets'; the
# table also gives the CPU each side used over the run, so it says which side saturated
# (ringcast's lcore polls: it reads ~100 % busy whatever the load).
#
# Usage (as root): bench/dns_tcp_side_by_side.sh
# Environment: RCB_DNS_TCP_SYSTEMS (default "ringcast knot_xdp knot_sockets"),
#              RCB_DNS_TCP_RATES (kxdpgun -Q, default "20000 50000 100000"),
#              RCB_DNS_TCP_SIZE (zone size label, default 1k),
#              RCB_IDLE_SLEEP_US (ringcast's [dataplane] idle_sleep_us, default 0).
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/cpu.sh"
. "$(dirname "$0")/lib/knot.sh"
. "$RCB_ROOT/scripts/lib/pop-netns.sh"
rcb_require_root "$@"

SYSTEMS=(${RCB_DNS_TCP_SYSTEMS:-ringcast knot_xdp knot_sockets})
RATES=(${RCB_DNS_TCP_RATES:-20000 50000 100000}) # kxdpgun -T offered queries (connections) per s
SIZE=${RCB_DNS_TCP_SIZE:-1k}
KXDPGUN_DURATION_S=5    # kxdpgun -t: bounded by kxdpgun itself
DNSPERF_DURATION_S=5    # dnsperf -l: bounded by dnsperf itself
DNSPERF_CLIENTS=4       # -c: TCP connections
DNSPERF_OUTSTANDING=100 # -q: queries in flight, pipelined on those connections
LOAD_TIMEOUT_S=60       # hard stop for a load tool that does not stop by itself
SETTLE_S=1              # between runs: lets queues drain and TIME-WAIT connections age
RINGCAST_MAX_CONNECTIONS=65536 # [tcp] max_connections: what 100k connections/s need alive
RINGCAST_IDLE_TIMEOUT_MS=10000 # [tcp] idle_timeout_ms
KXDPGUN_BASELINE=knot_xdp
DNSPERF_BASELINE=knot_sockets

rcb_build "${RCB_POP_TARGETS[@]}"
. "$(dirname "$0")/lib/servers.sh"
servers_init rcd dns-tcp-side-by-side

zone=$(rcb_zone "$SIZE")
zonefile=$zone/${RCB_ORIGIN}zone
queries=$zone/queries.txt
pop_netns_create "$prefix"
server_mac=$(ip -n "$prefix-pop" link show srv0 | awk '/link\/ether/ { print $2 }')
results=$work/results.tsv
: >"$results"

# record SYSTEM TOOL OFFERED ANSWERED_PER_S LOSS_PCT SERVER_CPU_PCT LOADGEN_CPU_PCT SERVER_CORE_PCT
#        LOADGEN_CORE_PCT
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$results"; }

run_kxdpgun() { # SYSTEM RATE
    local log=$work/$1.kxdpgun-tcp.$2.log cpu answered pct
    cpu=$(rcb_measured "$log" "$server_pid" ip netns exec "$prefix-client" \
        timeout "$LOAD_TIMEOUT_S" taskset -c "$RCB_LOADGEN_CPU" kxdpgun -T \
        -t "$KXDPGUN_DURATION_S" -Q "$2" -i "$queries" -I cli0 -R "$server_mac" "$POP_VIP_V4")
    # "total replies: N (Y pps) (P%)": Y is answers per second over the run.
    answered=$(awk '/^total replies:/ { gsub(/\(/, "", $4); print $4 }' "$log")
    pct=$(awk '/^total replies:/ { gsub(/[()%]/, "", $6); print $6 }' "$log")
    record "$1" kxdpgun "$2" "${answered:--}" \
        "$(awk -v p="$pct" 'BEGIN { if (p == "") print "-"; else printf "%.1f", 100 - p }')" $cpu
}

run_dnsperf() { # SYSTEM
    local log=$work/$1.dnsperf-tcp.log cpu qps loss
    cpu=$(rcb_measured "$log" "$server_pid" ip netns exec "$prefix-client" \
        timeout "$LOAD_TIMEOUT_S" taskset -c "$RCB_LOADGEN_CPU" dnsperf -m tcp -s "$POP_VIP_V4" \
        -d "$queries" -l "$DNSPERF_DURATION_S" -c "$DNSPERF_CLIENTS" -q "$DNSPERF_OUTSTANDING")
    qps=$(awk '/Queries per second:/ { printf "%.0f", $4 }' "$log")
    loss=$(awk '/Queries lost:/ { gsub(/[()%]/, "", $4); print $4 }' "$log")
    record "$1" dnsperf closed-loop "${qps:--}" "${loss:--}" $cpu
}

export RCB_KNOT_XDP_TCP=on # knot_xdp answers TCP in its XDP workers (bench/lib/knot.sh)
# ringcast's connection table sized for a connection per query at these rates: with the
# defaults (4096 connections, 60 s idle timeout) the connections kxdpgun abandons fill the table
# within seconds and every later handshake is refused (tcp_table_full). 10 s idle, as Knot's
# tcp-idle-timeout.
export RCB_RINGCAST_EXTRA_TOML="[tcp]
max_connections = $RINGCAST_MAX_CONNECTIONS
idle_timeout_ms = $RINGCAST_IDLE_TIMEOUT_MS"
bench_system() { # SYSTEM
    local rate
    for rate in "${RATES[@]}"; do
        rcb_log "$1: kxdpgun -T offering $rate qps for ${KXDPGUN_DURATION_S}s"
        run_kxdpgun "$1" "$rate"
        sleep "$SETTLE_S"
    done
    rcb_log "$1: dnsperf -m tcp for ${DNSPERF_DURATION_S}s"
    run_dnsperf "$1"
}
servers_each bench_system "$zonefile" "${SYSTEMS[@]}"

rcb_header "DNS over TCP side by side: $SIZE-record zone, $(wc -l <"$queries") queries in the mix; server cpu $RCB_SERVER_CPU, load generator cpu $RCB_LOADGEN_CPU"
printf '%-13s %-8s %11s %12s %7s %8s %9s %9s %10s %8s\n' system tool offered answered/s loss% srv_cpu% load_cpu% srv_core% load_core% xbase
while IFS=$'\t' read -r system tool offered answered loss scpu lcpu score lcore; do
    if [ "$tool" = kxdpgun ]; then baseline=$KXDPGUN_BASELINE; else baseline=$DNSPERF_BASELINE; fi
    base=$(awk -F'\t' -v s="$baseline" -v t="$tool" -v o="$offered" \
        '$1 == s && $2 == t && $3 == o { print $4; exit }' "$results")
    printf '%-13s %-8s %11s %12s %7s %8s %9s %9s %10s %8s\n' "$system" "$tool" "$offered" "$answered" \
        "$loss" "$scpu" "$lcpu" "$score" "$lcore" "$(rcb_ratio "$answered" "$base")"
done <"$results"
echo "   kxdpgun: -T -t $KXDPGUN_DURATION_S -Q OFFERED (a new connection per query, XDP on cli0); xbase is x$KXDPGUN_BASELINE"
echo "   dnsperf: -m tcp -l $DNSPERF_DURATION_S -c $DNSPERF_CLIENTS -q $DNSPERF_OUTSTANDING, unthrottled; xbase is x$DNSPERF_BASELINE"
echo "   cpu: % of one core over each run, server process tree (/proc) and load tool (its rusage)"
echo "   core: how busy the server's and the load generator's core were (/proc/stat, softirq included): the one near 100 % saturated"
servers_print_counters
echo "   raw logs and results.tsv in $work"
