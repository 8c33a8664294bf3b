#!/usr/bin/env bash
# ringcastd's health probes against a real dataplane, over their own path (a probe veth inside
# the PoP namespace whose far end is a second dataplane port): healthy once every VIP answers,
# unhealthy within the fall count when the probes are dropped, healthy again after it is back, an
# immediate re-check on SIGUSR1. The HTTP probe against python's http.server on loopback (the
# dataplane's HTTP is not there yet): 200 passes, 404 and a closed port fail.
mode=af_xdp
. "$(dirname "$0")/lib/harness.sh"
PROBE=$RINGCAST_BUILD_DIR/tests/integration/health_probe

pop_netns_create "$prefix"
pop_probe_link_create "$prefix-pop"
write_config "pop-health" "$mode" example.net. "$RINGCAST_SOURCE_DIR/zones/example.net.zone"
sed -i 's/^ports = \["net_af_xdp0,iface=srv0"\]/ports = ["net_af_xdp0,iface=srv0", "net_af_xdp1,iface=probe1"]/' "$work/ringcast.toml"
cat >>"$work/ringcast.toml" <<TOML
[health]
interface = "probe0"
interval_ms = 200
rise = 2
fall = 2
dns_name = "www.example.net"
dns_type = "A"
TOML
start_pop
# One line of JSON, keys sorted, so that a regex can match across members.
status() {
    ip netns exec "$prefix-pop" "$RINGCASTCTL" --config "$work/ringcast.toml" status --json |
        /usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), separators=(",", ":"), sort_keys=True))'
}
healthy() { status | /usr/bin/python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["health"]["healthy"] else 1)'; }
wait_health() { # WANTED(0 healthy, 1 not) SECONDS
    local deadline=$((SECONDS + $2))
    while [ $SECONDS -lt $deadline ]; do
        healthy; [ $? -eq "$1" ] && return 0
        sleep 0.2
    done
    return 1
}

# The probe tool runs the same Probe: a real query over probe0 to this dataplane.
out=$(ip netns exec "$prefix-pop" "$PROBE" dns "$POP_VIP_V4" --interface probe0 --name www.example.net --type A)
expect_match "DNS probe over probe0 to the IPv4 VIP" '"ok":true' "$out"
out=$(ip netns exec "$prefix-pop" "$PROBE" dns "$POP_VIP_V6" --interface probe0 --name www.example.net --type AAAA)
expect_match "DNS probe over probe0 to the IPv6 VIP" '"ok":true' "$out"
out=$(ip netns exec "$prefix-pop" "$PROBE" dns "$POP_VIP_V4" --interface probe0 --name nope.example.net --type A)
expect_match "a name the zone lacks fails the probe" '"error":"rcode NXDOMAIN","latency_us":[0-9]+,"ok":false' "$out"
out=$(ip netns exec "$prefix-pop" "$PROBE" dns "$POP_VIP_V4" --interface probe0 --name example.org --type A)
expect_match "a zone the PoP does not serve fails the probe" '"ok":false' "$out"
# Without the probe link the PoP kernel has no path to the VIP: the probe never leaves by the
# uplink, where another PoP could answer.
out=$(ip netns exec "$prefix-pop" "$PROBE" dns "$POP_VIP_V4" --interface srv0 --timeout-ms 500)
expect_match "bound to the uplink (no route there), the probe fails" '"ok":false' "$out"

expect_status "ringcastd: healthy once both VIPs answer (rise 2)" 0 "$(wait_health 0 10; echo $?)"
out=$(status)
expect_match "status --json: a DNS probe per VIP" '"name":"dns \[2001:db8:ffff::53\]:53"' "$out"
expect_match "status --json: the last result and its latency" '"last":\{"error":"","latency_us":[0-9]+,"ok":true\}' "$out"
out=$(ip netns exec "$prefix-pop" "$RINGCASTCTL" --config "$work/ringcast.toml" status)
expect_match "ringcastctl status: the health line" '^health     healthy' "$out"
expect_match "ringcastctl status: each probe" 'dns 203\.0\.113\.53:53 up: ok in [0-9.]+ ms' "$out"

# Break the probe path (nftables drops the answers on probe0): every check times out and the
# PoP turns unhealthy within fall * interval + timeout.
ip netns exec "$prefix-pop" nft -f - <<'NFT'
table inet rc_probe_break {
    chain in { type filter hook input priority 0; iifname "probe0" udp sport 53 drop; }
}
NFT
start=$SECONDS
expect_status "unhealthy when the probes are dropped" 0 "$(wait_health 1 8; echo $?)"
echo "     (unhealthy after $((SECONDS - start)) s)"
out=$(ip netns exec "$prefix-pop" "$RINGCASTCTL" --config "$work/ringcast.toml" status)
expect_match "ringcastctl status: UNHEALTHY and why" 'dns 203\.0\.113\.53:53 DOWN: FAILED in [0-9.]+ ms: timeout' "$out"
expect_match "the daemon logs the verdict" 'health: UNHEALTHY' "$(cat "$work/ringcastd.log")"
ip netns exec "$prefix-pop" nft delete table inet rc_probe_break
expect_status "healthy again when the path is back" 0 "$(wait_health 0 10; echo $?)"

before=$(status | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["health"]["rechecks"])')
kill -USR1 "$daemon_pid"
sleep 0.3
out=$(status)
expect_match "SIGUSR1: an immediate re-check" '"last_recheck_reason":"SIGUSR1"' "$out"
after=$(/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["health"]["rechecks"])' <<<"$out")
expect_status "SIGUSR1: the re-check is counted" 0 "$([ "$after" -gt "$before" ]; echo $?)"
stop_pop

# The HTTP probe against python's http.server, on the loopback of a namespace of this test.
ip netns exec "$prefix-client" ip link set lo up
mkdir -p "$work/www"
echo hello >"$work/www/index.html"
ip netns exec "$prefix-client" /usr/bin/python3 -m http.server --bind 127.0.0.1 --directory "$work/www" 8080 \
    >"$work/http.log" 2>&1 &
http_pid=$!
for _ in $(seq 50); do
    ip netns exec "$prefix-client" "$PROBE" http 127.0.0.1 --port 8080 >/dev/null 2>&1 && break
    sleep 0.1
done
out=$(ip netns exec "$prefix-client" "$PROBE" http 127.0.0.1 --port 8080 --host www.example.net)
expect_match "HTTP probe: GET / answered 200" '"ok":true' "$out"
out=$(ip netns exec "$prefix-client" "$PROBE" http 127.0.0.1 --port 8080 --path /missing)
expect_match "HTTP probe: 404 fails" '"error":"status 404"' "$out"
kill "$http_pid"; wait "$http_pid" 2>/dev/null
out=$(ip netns exec "$prefix-client" "$PROBE" http 127.0.0.1 --port 8080)
expect_match "HTTP probe: nothing listening fails" '"error":"connect: Connection refused"' "$out"
finish
