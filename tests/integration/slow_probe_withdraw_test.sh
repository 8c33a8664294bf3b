#!/usr/bin/env bash
# A health probe slowed past [health] threshold_ms withdraws the PoP (issue 17), seen from a real
# BIRD router: the answers to ringcastd's probes still arrive, but link_impair (an NFQUEUE queue
# on the probe path, probe0) holds each one for SLOW_MS. ringcastd must call it slow, not a
# timeout, and withdraw; the test prints the time from delay-on to route-gone (the failover
# time in bench/RESULTS.md). Delay off -> announced again, not before the hold-down.
. "$(dirname "$0")/lib/harness.sh"
. "$(dirname "$0")/lib/control.sh"
. "$(dirname "$0")/lib/bgp.sh"

readonly INTERVAL_MS=200
readonly THRESHOLD_MS=300
readonly TIMEOUT_MS=2000 # well past SLOW_MS: a slow answer must not become a timeout
readonly SLOW_MS=700     # the delay on every probe answer: over the threshold, under the timeout
readonly FALL=2
readonly HOLD_DOWN_S=2
readonly IMPAIR_QUEUE=9
readonly IMPAIR_MAX_S=60 # link_impair's own bound
readonly WITHDRAW_MAX_S=10
readonly RETURN_MAX_S=15
LINK_IMPAIR=$RINGCAST_BUILD_DIR/tests/tools/link_impair

rtr=$prefix-rtr
pop_netns_create "$prefix"
pop_probe_link_create "$prefix-pop"
bgp_link_create "$prefix-pop" "$rtr"
impair_pid=
slow_probe_cleanup() {
    stop_process "$impair_pid"
    stop_process "$daemon_pid"
    bgp_cleanup_daemons
    ip netns del "$rtr" 2>/dev/null
    pop_netns_destroy "$prefix"
    rm -rf "$work"
}
trap slow_probe_cleanup EXIT
bgp_router_start "$rtr"
bgp_speaker_start bird "$prefix-pop" || exit 2

write_config "pop-slow" af_xdp example.net. "$RINGCAST_SOURCE_DIR/zones/example.net.zone"
sed -i 's/^ports = \["net_af_xdp0,iface=srv0"\]/ports = ["net_af_xdp0,iface=srv0", "net_af_xdp1,iface=probe1"]/' "$work/ringcast.toml"
cat >>"$work/ringcast.toml" <<CONF
[health]
interface = "probe0"
interval_ms = $INTERVAL_MS
threshold_ms = $THRESHOLD_MS
timeout_ms = $TIMEOUT_MS
rise = 2
fall = $FALL
dns_name = "www.example.net"
dns_type = "A"
[bgp]
sidecar = "bird"
prefixes = ["203.0.113.0/24", "2001:db8:ffff::/48"]
local_as = 64500
$bgp_sidecar_keys
hold_down_seconds = $HOLD_DOWN_S
CONF

start_pop
if wait_until 20 has_route; then pass "healthy: the router has 203.0.113.0/24"; else fail "healthy: the router has 203.0.113.0/24" "$(route_all; tail -20 "$work/ringcastd.log")"; fi
if wait_until 10 has_route6; then pass "healthy: the router has 2001:db8:ffff::/48"; else fail "healthy: the router has 2001:db8:ffff::/48" "$(route6_all)"; fi
expect_match "status: healthy" '^health     healthy' "$(ctl status)"

# The delay, on the probe answers only: DNS from the dataplane arriving on probe0. The BGP
# session on bgp0 and the clients' path on srv0 are untouched.
ip netns exec "$prefix-pop" "$LINK_IMPAIR" --queue-num "$IMPAIR_QUEUE" --delay-ms "$SLOW_MS" \
    --duration-s "$IMPAIR_MAX_S" >"$work/impair.log" 2>&1 &
impair_pid=$!
if wait_until 5 grep -q "queue $IMPAIR_QUEUE bound" "$work/impair.log"; then
    pass "link_impair holds NFQUEUE queue $IMPAIR_QUEUE"
else
    fail "link_impair holds NFQUEUE queue $IMPAIR_QUEUE" "$(cat "$work/impair.log")"
fi
queue_rule() { # -I|-D: the rule on both families
    local tool
    for tool in iptables ip6tables; do
        ip netns exec "$prefix-pop" "$tool" "$1" INPUT -i probe0 -p udp --sport 53 \
            -j NFQUEUE --queue-num "$IMPAIR_QUEUE" --queue-bypass || return 1
    done
}
queue_rule -I
expect_status "the NFQUEUE rules on probe0 are installed" 0 $?
delay_on_ms=$(date +%s%3N)
if wait_until "$WITHDRAW_MAX_S" no_route; then
    failover_ms=$(($(date +%s%3N) - delay_on_ms))
    pass "slow probes ($SLOW_MS ms > $THRESHOLD_MS ms): withdrawn in $failover_ms ms after delay-on"
else
    fail "slow probes: withdrawn" "$(route_all; ctl status; tail -20 "$work/ringcastd.log")"
fi
if wait_until 5 no_route6; then pass "slow probes: 2001:db8:ffff::/48 withdrawn too"; else fail "slow probes: 2001:db8:ffff::/48 withdrawn too" "$(route6_all)"; fi
out=$(ctl status)
expect_match "status: UNHEALTHY" '^health     UNHEALTHY' "$out"
expect_match "status: the probe failed for slowness" \
    "dns 203\.0\.113\.53:53 DOWN: FAILED in [0-9.]+ ms: slow: [0-9]+ ms over the $THRESHOLD_MS ms threshold" "$out"
expect_no_match "status: not a timeout" "timeout" "$(grep '^ *dns ' <<<"$out")"
expect_match "the log says slow" "health: UNHEALTHY; dns [^;]*: slow: " "$(cat "$work/ringcastd.log")"
# Slowness is this PoP's own, not an answer every PoP would give: the global-withdrawal guard
# must not hold, and the PoP must stay withdrawn past the hold-down while the delay lasts.
sleep $((HOLD_DOWN_S + 2))
if no_route; then pass "still slow past the hold-down: stays withdrawn"; else fail "still slow past the hold-down: stays withdrawn" "$(route_all; grep -i guard "$work/ringcastd.log")"; fi
expect_status "status: the global-withdrawal guard does not hold (a slow answer is this PoP's own)" \
    false "$(status_field 'j["bgp"]["guard"]["active"]')"

queue_rule -D
expect_status "the NFQUEUE rules are removed" 0 $?
delay_off_ms=$(date +%s%3N)
if wait_until "$RETURN_MAX_S" has_route; then
    return_ms=$(($(date +%s%3N) - delay_off_ms))
    pass "delay off: announced again $return_ms ms after delay-off"
    expect_status "delay off: not before the hold-down ($HOLD_DOWN_S s)" 0 \
        "$([ "$return_ms" -ge $((HOLD_DOWN_S * 1000)) ]; echo $?)"
else
    fail "delay off: announced again" "$(route_all; ctl status; tail -20 "$work/ringcastd.log")"
fi
expect_match "status: healthy again" '^health     healthy' "$(ctl status)"
stop_process "$impair_pid"
wait "$impair_pid" 2>/dev/null
impair_pid=
out=$(cat "$work/impair.log")
echo "$out" | tail -1 | sed 's/^/       /'
expect_match "link_impair delayed the probe answers" "delayed [1-9][0-9]*," "$out"
expect_match "link_impair dropped none" "dropped 0," "$out"
echo "       failover (slow probe): ${failover_ms:-?} ms delay-on to route-gone; ${return_ms:-?} ms delay-off to route-back"
stop_pop
finish
