#!/usr/bin/env bash
# ringcast (DPDK on AF_XDP) beside Knot DNS in XDP mode, Knot on sockets and NSD, one after the
# other on the same veth pair, the same zone and the same query mix (positive answers,
# NXDOMAIN, referrals, NODATA, mixed case). Each is driven by kxdpgun at rising offered rates
# and by dnsperf (closed loop); the table gives answered qps, loss and latency, and each
# figure's ratio to Knot XDP under the same load.
#
# With RCB_SBS_DNSSEC=1 the zone is presigned with NSEC3 (rcb_signed_zone) and every query sets
# DO (kxdpgun's "D" flag, dnsperf -D): answers carry RRSIGs and NSEC3 denial proofs.
#
# Usage (as root): bench/dns_side_by_side.sh
# Environment: RCB_SBS_SIZE (zone size label, default 100k), RCB_SBS_DNSSEC (0 or 1, default 0),
#              RCB_SBS_SYSTEMS, RCB_SBS_RATES,
#              RCB_AF_XDP_ARGS (extra net_af_xdp devargs for ringcast, e.g. ",busy_budget=0"),
#              RCB_IDLE_SLEEP_US (ringcast's [dataplane] idle_sleep_us, default 0).
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/knot.sh"
. "$RCB_ROOT/scripts/lib/pop-netns.sh"
rcb_require_root "$@"

SIZE=${RCB_SBS_SIZE:-100k}
DNSSEC=${RCB_SBS_DNSSEC:-0}
SYSTEMS=(${RCB_SBS_SYSTEMS:-ringcast knot_xdp knot_sockets nsd})
RATES=(${RCB_SBS_RATES:-100000 200000 400000 800000}) # kxdpgun offered qps
KXDPGUN_DURATION_S=5    # per rate: bounded by kxdpgun itself
DNSPERF_DURATION_S=8    # dnsperf -l: bounded by dnsperf itself
DNSPERF_CLIENTS=4       # -c: source ports
DNSPERF_OUTSTANDING=200 # -q: in flight; no -Q, so dnsperf sends as fast as answers come back
LOAD_TIMEOUT_S=60       # hard stop for a load tool that does not stop by itself
SETTLE_S=1              # between runs: lets queues drain
BASELINE=knot_xdp       # ratios are to this system under the same load

rcb_build "${RCB_POP_TARGETS[@]}"
. "$(dirname "$0")/lib/servers.sh"
servers_init rcb side-by-side

if [ "$DNSSEC" = 1 ]; then
    zone=$(rcb_signed_zone "$SIZE")
    gun_queries=$zone/queries.dnssec.txt
    dnsperf_dnssec=(-D)
    mix_name="NSEC3-signed $SIZE-record zone, DO=1 on every query"
else
    zone=$(rcb_zone "$SIZE")
    gun_queries=$zone/queries.txt
    dnsperf_dnssec=()
    mix_name="$SIZE-record zone"
fi
zonefile=$zone/${RCB_ORIGIN}zone
queries=$zone/queries.txt
pop_netns_create "$prefix"
server_mac=$(ip -n "$prefix-pop" link show srv0 | awk '/link\/ether/ { print $2 }')
results=$work/results.tsv
: >"$results"

# record SYSTEM TOOL OFFERED ANSWERED LOSS_PCT LAT_AVG_MS LAT_MAX_MS
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$results"; }

run_kxdpgun() { # SYSTEM RATE
    local log=$work/$1.kxdpgun.$2.log
    ip netns exec "$prefix-client" timeout "$LOAD_TIMEOUT_S" taskset -c "$RCB_LOADGEN_CPU" \
        kxdpgun -t "$KXDPGUN_DURATION_S" -Q "$2" -i "$gun_queries" -I cli0 -R "$server_mac" \
        "$POP_VIP_V4" >"$log" 2>&1 || rcb_log "kxdpgun exited non-zero: see $log"
    # "total queries: N (X pps)" and "total replies: N (Y pps) (P%)"
    local sent answered pct
    sent=$(awk '/^total queries:/ { gsub(/\(/, "", $4); print $4 }' "$log")
    answered=$(awk '/^total replies:/ { gsub(/\(/, "", $4); print $4 }' "$log")
    pct=$(awk '/^total replies:/ { gsub(/[()%]/, "", $6); print $6 }' "$log")
    record "$1" kxdpgun "${sent:--}" "${answered:--}" \
        "$(awk -v p="$pct" 'BEGIN { if (p == "") print "-"; else printf "%.1f", 100 - p }')" - -
}

run_dnsperf() { # SYSTEM
    local log=$work/$1.dnsperf.log
    ip netns exec "$prefix-client" timeout "$LOAD_TIMEOUT_S" taskset -c "$RCB_LOADGEN_CPU" \
        dnsperf -s "$POP_VIP_V4" -d "$queries" -l "$DNSPERF_DURATION_S" \
        -c "$DNSPERF_CLIENTS" -q "$DNSPERF_OUTSTANDING" "${dnsperf_dnssec[@]}" >"$log" 2>&1 ||
        rcb_log "dnsperf exited non-zero: see $log"
    local qps loss avg max
    qps=$(awk '/Queries per second:/ { printf "%.0f", $4 }' "$log")
    loss=$(awk '/Queries lost:/ { gsub(/[()%]/, "", $4); print $4 }' "$log")
    avg=$(awk '/Average Latency/ { printf "%.3f", $4 * 1000 }' "$log")
    max=$(awk '/Average Latency/ { gsub(/\)/, "", $8); printf "%.3f", $8 * 1000 }' "$log")
    record "$1" dnsperf closed-loop "${qps:--}" "${loss:--}" "${avg:--}" "${max:--}"
}

bench_system() { # SYSTEM
    local rate
    for rate in "${RATES[@]}"; do
        rcb_log "$1: kxdpgun offering $rate qps for ${KXDPGUN_DURATION_S}s"
        run_kxdpgun "$1" "$rate"
        sleep "$SETTLE_S"
    done
    rcb_log "$1: dnsperf for ${DNSPERF_DURATION_S}s"
    run_dnsperf "$1"
}
servers_each bench_system "$zonefile" "${SYSTEMS[@]}"

rcb_header "side by side: $mix_name, $(wc -l <"$queries") queries in the mix; server cpu $RCB_SERVER_CPU, load generator cpu $RCB_LOADGEN_CPU"
printf '%-13s %-8s %11s %11s %7s %9s %9s %9s\n' system tool offered answered loss% lat_avg_ms lat_max_ms "x$BASELINE"
while IFS=$'\t' read -r system tool offered answered loss avg max; do
    base=$(awk -F'\t' -v s="$BASELINE" -v t="$tool" -v o="$offered" \
        '$1 == s && $2 == t && ($3 == o || t == "dnsperf") { print $4; exit }' "$results")
    # kxdpgun's measured offered rate differs a little between runs: match the requested rate.
    if [ "$tool" = kxdpgun ]; then
        base=$(awk -F'\t' -v s="$BASELINE" -v o="$offered" '
            $1 == s && $2 == "kxdpgun" { d = $3 - o; if (d < 0) d = -d; if (best == "" || d < bd) { best = $4; bd = d } }
            END { print best }' "$results")
    fi
    printf '%-13s %-8s %11s %11s %7s %9s %9s %9s\n' "$system" "$tool" "$offered" "$answered" \
        "$loss" "$avg" "$max" "$(rcb_ratio "$answered" "$base")"
done <"$results"
echo "   kxdpgun: -t $KXDPGUN_DURATION_S at each offered rate (XDP on cli0, no latency figures);"
echo "   dnsperf: -l $DNSPERF_DURATION_S -c $DNSPERF_CLIENTS -q $DNSPERF_OUTSTANDING${dnsperf_dnssec[*]:+ ${dnsperf_dnssec[*]}}, unthrottled."
servers_print_counters
echo "   raw logs and results.tsv in $work"
