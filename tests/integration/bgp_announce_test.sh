#!/usr/bin/env bash
# ringcastd's announce states through a sidecar (bird | exabgp | gobgp), seen from a real BIRD
# router:
#   healthy dataplane       -> announced after the hold-down; status shows it, session up;
#   ringcastctl drain       -> 65535:0 (RFC 8326) and prepends, then withdrawn after drain_seconds;
#   restart while drained   -> stays withdrawn (the flag is persisted); undrain -> announced;
#   kill -9 of the dataplane -> withdrawn at once, announced again after restart + hold-down;
#   kill -9 of ringcastd    -> the watchdog withdraws within seconds;
#   stop (SIGTERM)          -> withdrawn before the dataplane stops.
sidecar=${1:?usage: bgp_announce_test.sh bird|exabgp|gobgp}
. "$(dirname "$0")/lib/harness.sh"
. "$(dirname "$0")/lib/control.sh"
. "$(dirname "$0")/lib/bgp.sh"

rtr=$prefix-rtr
pop_netns_create "$prefix"
bgp_link_create "$prefix-pop" "$rtr"
announce_cleanup() {
    stop_process "$daemon_pid"
    [ -f "$work/watchdog.pid" ] && stop_process "$(cat "$work/watchdog.pid")"
    bgp_cleanup_daemons
    ip netns del "$rtr" 2>/dev/null
    pop_netns_destroy "$prefix"
    rm -rf "$work"
}
trap announce_cleanup EXIT
bgp_router_start "$rtr"
bgp_speaker_start "$sidecar" "$prefix-pop" || exit 2

write_config "pop-bgp" af_xdp example.net. "$RINGCAST_SOURCE_DIR/zones/example.net.zone"
cat >>"$work/ringcast.toml" <<CONF
[bgp]
sidecar = "$sidecar"
prefixes = ["203.0.113.0/24"]
communities = ["64500:100"]
drain_prepend = 2
local_as = 64500
$bgp_sidecar_keys
drain_seconds = 3
hold_down_seconds = 2
CONF


start_pop
if wait_until 20 has_route; then pass "announced after the hold-down: the router has 203.0.113.0/24"; else fail "announced after the hold-down" "$(route_all; tail -20 "$work/ringcastd.log")"; fi
expect_match "the announcement carries 64500:100" "\(64500,100\)" "$(route_all)"
session_up() { ctl status | grep -q "session .* established"; }
if wait_until 15 session_up; then pass "status: the session is established"; else fail "status: the session is established" "$(ctl status)"; fi
out=$(ctl status)
expect_match "status: announced via bird, drain off" "bgp        announced via $sidecar; drain off" "$out"
expect_match "status: the prefix is announced" "prefix     203.0.113.0/24 +announced" "$out"
out=$(ctl status --json)
expect_match "status --json: the bgp object" '"drain": false' "$out"

out=$(ctl drain)
expect_status "ringcastctl drain succeeds" 0 $? "$out"
expect_match "drain: the reply shows draining" "draining" "$out"
if wait_until 10 drained_route; then pass "drain: the router sees 65535:0"; else fail "drain: the router sees 65535:0" "$(route_all)"; fi
expect_match "drain: two prepends on the router" "BGP.as_path: 64500 64500 64500$" "$(route_all)"
start_ms=$(date +%s%3N)
if wait_until 10 no_route; then pass "drain: withdrawn after drain_seconds ($(($(date +%s%3N) - start_ms)) ms after the drain was seen)"; else fail "drain: withdrawn after drain_seconds" "$(route_all)"; fi
expect_match "status: drain ON" "drain ON" "$(ctl status)"
expect_match "the drain flag is in the state file" '"drain":true' "$(cat "$work/run/bgp-state.json")"

stop_pop
start_pop
sleep 4 # past the hold-down
if no_route; then pass "restarted while drained: still withdrawn"; else fail "restarted while drained: still withdrawn" "$(route_all)"; fi
expect_match "restarted while drained: status says drain ON" "drain ON" "$(ctl status)"

out=$(ctl undrain)
expect_status "ringcastctl undrain succeeds" 0 $? "$out"
if no_route; then pass "undrain: not announced before the hold-down"; else fail "undrain: not announced before the hold-down" "$(route_all)"; fi
if wait_until 10 has_route; then pass "undrain: announced again after the hold-down"; else fail "undrain: announced again" "$(route_all; tail -20 "$work/ringcastd.log")"; fi
expect_no_match "undrain: no 65535:0 any more" "\(65535,0\)" "$(route_all)"

# The sidecar restarts (and forgets its RIB, for ExaBGP and gobgpd): once its session is up
# again ringcastd states the whole batch again.
stop_process "$bgp_speaker_pid"
if wait_until 15 no_route; then pass "the sidecar stopped: the router lost the route"; else fail "the sidecar stopped: the router lost the route" "$(route_all)"; fi
bgp_speaker_start "$sidecar" "$prefix-pop"
if wait_until 30 has_route; then pass "the sidecar restarted: announced again"; else fail "the sidecar restarted: announced again" "$(route_all; tail -20 "$work/ringcastd.log")"; fi

dataplane=$(status_field 'j["dataplane"]["pid"]')
kill -9 "$dataplane"
start_ms=$(date +%s%3N)
if wait_until 10 no_route; then pass "kill -9 of the dataplane: withdrawn in $(($(date +%s%3N) - start_ms)) ms"; else fail "kill -9 of the dataplane: withdrawn" "$(route_all)"; fi
if wait_until 40 has_route; then pass "the restarted dataplane: announced again after the hold-down ($(($(date +%s%3N) - start_ms)) ms after the kill)"; else fail "the restarted dataplane: announced again" "$(tail -20 "$work/ringcastd.log")"; fi

watchdog=$(status_field "j['bgp']['watchdog_pid']")
echo "$watchdog" >"$work/watchdog.pid"
{ kill -9 "$daemon_pid"; wait "$daemon_pid"; } 2>/dev/null
daemon_pid=
start_ms=$(date +%s%3N)
if wait_until 10 no_route; then pass "kill -9 of ringcastd: the watchdog withdrew in $(($(date +%s%3N) - start_ms)) ms"; else fail "kill -9 of ringcastd: the watchdog withdrew" "$(route_all; cat "$work/ringcastd.log" | tail)"; fi
expect_match "the watchdog says why" "ringcastd is gone; withdrew every prefix" "$(cat "$work/ringcastd.log")"
if wait_until 10 bash -c "! kill -0 $watchdog 2>/dev/null"; then pass "the watchdog exited after withdrawing"; else fail "the watchdog exited after withdrawing"; fi

# A fresh ringcastd (its predecessor's dataplane is gone by now): announced; then SIGTERM.
wait_until 15 bash -c "! pgrep -f 'file-prefix $prefix' >/dev/null"
# A watchdog of an earlier ringcastd still waiting (as if its withdrawal were still retrying):
# the new ringcastd stops it before announcing, so it cannot withdraw the new announcement.
mkfifo "$work/stale.fifo"
exec 7<>"$work/stale.fifo" # the test holds its stdin open, as a live ringcastd would
ip netns exec "$prefix-pop" "$RINGCAST_BUILD_DIR/controlplane/bgp/ringcast-bgp" watchdog "$work/ringcast.toml" <"$work/stale.fifo" &
stale=$!
echo "$stale" >"$work/run/bgp-watchdog.pid"
start_pop
if wait_until 5 bash -c "! kill -0 $stale 2>/dev/null"; then pass "a stale watchdog is stopped by the new ringcastd"; else fail "a stale watchdog is stopped by the new ringcastd" "$(tail "$work/ringcastd.log")"; kill "$stale"; fi
exec 7>&-
expect_match "the new ringcastd says so" "stopped the previous ringcastd's watchdog \(pid $stale\)" "$(cat "$work/ringcastd.log")"
if wait_until 20 has_route; then pass "a new ringcastd announces again"; else fail "a new ringcastd announces again" "$(tail -20 "$work/ringcastd.log")"; fi
watchdog=$(status_field "j['bgp']['watchdog_pid']")
kill -9 "$watchdog"
respawned() { local now; now=$(status_field "j['bgp']['watchdog_pid']"); [ "$now" != "$watchdog" ] && [ "$now" != "-1" ]; }
if wait_until 10 respawned; then pass "a killed watchdog is started again"; else fail "a killed watchdog is started again" "$(tail -5 "$work/ringcastd.log")"; fi
if has_route; then pass "the watchdog's death alone withdraws nothing"; else fail "the watchdog's death alone withdraws nothing"; fi
stop_pop
if no_route; then pass "stop: withdrawn by the time ringcastd exits"; else fail "stop: withdrawn by the time ringcastd exits" "$(route_all)"; fi
expect_match "stop: withdrawn before the dataplane stopped" "withdrawing the BGP announcements" "$(cat "$work/ringcastd.log")"
finish
