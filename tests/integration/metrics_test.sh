#!/usr/bin/env bash
# The Prometheus endpoint ([metrics] listen): curl gets valid text format 0.0.4 with every
# counter `ringcastctl stats` shows, under the same names and with the same values, plus
# ringcastd's own metrics; wrong paths, methods and garbage get HTTP errors and change nothing.
. "$(dirname "$0")/lib/harness.sh"
. "$(dirname "$0")/lib/control.sh"

listen=127.0.0.1:19253 # the PoP namespace's own loopback
pop_netns_create "$prefix"
write_config "pop-metrics" af_xdp example.net. "$RINGCAST_SOURCE_DIR/zones/example.net.zone"
printf '[metrics]\nlisten = "%s"\n' "$listen" >>"$work/ringcast.toml"
start_pop
in_pop() { ip netns exec "$prefix-pop" "$@"; }

for name in www nope; do pop_client "$prefix" dig +short +time=2 @"$POP_VIP_V4" $name.example.net A >/dev/null; done
pop_client "$prefix" ping -c 2 -i 0.2 -W 2 "$POP_VIP_V4" >/dev/null

ctl stats --json >"$work/before.json"
in_pop curl -sS -D "$work/headers" -o "$work/metrics" "http://$listen/metrics"
expect_status "curl /metrics succeeds" 0 $?
ctl stats --json >"$work/after.json"
headers=$(tr -d '\r' <"$work/headers")
expect_match "HTTP 200" "^HTTP/1.1 200 OK" "$headers"
expect_match "Content-Type of the text format 0.0.4" "^Content-Type: text/plain; version=0.0.4" "$headers"
expect_match "per-lcore counter series" '^ringcast_rx_packets_total\{lcore="1"\} [1-9]' "$(cat "$work/metrics")"
expect_match "drops by reason" '^ringcast_drops_total\{reason="[a-z0-9_]+",lcore="1"\} [0-9]+$' "$(cat "$work/metrics")"
expect_match "responses by RCODE" '^ringcast_dns_responses_total\{rcode="NXDOMAIN",lcore="1"\} [1-9]' "$(cat "$work/metrics")"
expect_match "help text from the counter table" '^# HELP ringcast_rx_packets_total Frames received from the port$' "$(cat "$work/metrics")"

out=$("$PY" "$RINGCAST_SOURCE_DIR/tests/integration/prom_check.py" "$work/metrics" "$work/before.json" "$work/after.json" 2>&1)
while IFS= read -r line; do
    case "$line" in
        "ok   - "*) pass "${line#ok   - }" ;;
        "FAIL - "*) fail "${line#FAIL - }" ;;
        *) echo "       $line" ;;
    esac
done <<<"$out"

# The same counters through DPDK telemetry (the EAL file prefix is the harness's $prefix).
telemetry=$(in_pop "$PY" /usr/bin/dpdk-telemetry.py -f "$prefix" <<<"/ringcast/counters" 2>&1)
expect_match "DPDK telemetry /ringcast/counters" '"rx_packets": [1-9]' "$telemetry"
telemetry=$(in_pop "$PY" /usr/bin/dpdk-telemetry.py -f "$prefix" <<<"/ringcast/rcodes" 2>&1)
expect_match "DPDK telemetry /ringcast/rcodes" '"NXDOMAIN": [1-9]' "$telemetry"
telemetry=$(in_pop "$PY" /usr/bin/dpdk-telemetry.py -f "$prefix" <<<"/ringcast/qtypes" 2>&1)
expect_match "DPDK telemetry /ringcast/qtypes" '"A": [1-9]' "$telemetry"

code=$(in_pop curl -s -o /dev/null -w '%{http_code}' "http://$listen/")
expect_status "GET / is 404" 404 "$code"
code=$(in_pop curl -s -o /dev/null -w '%{http_code}' -X POST "http://$listen/metrics")
expect_status "POST is 405" 405 "$code"
code=$(in_pop curl -s -o /dev/null -w '%{http_code}' -I "http://$listen/metrics")
expect_status "HEAD /metrics is 200" 200 "$code"
out=$(in_pop bash -c "exec 3<>/dev/tcp/${listen%:*}/${listen#*:}; printf 'EHLO garbage\r\n\r\n' >&3; head -1 <&3")
expect_match "garbage gets 400" "^HTTP/1.1 400" "$out"
in_pop bash -c "exec 3<>/dev/tcp/${listen%:*}/${listen#*:}; head -c 20000 /dev/urandom >&3" 2>/dev/null
start_ms=$(date +%s%3N)
for _ in $(seq 20); do in_pop curl -s -o /dev/null "http://$listen/metrics" || break; done
elapsed=$(($(date +%s%3N) - start_ms))
code=$(in_pop curl -s -o /dev/null -w '%{http_code}' "http://$listen/metrics")
expect_status "still serving after garbage" 200 "$code"
echo "       20 scrapes in $elapsed ms ($(wc -c <"$work/metrics") bytes per page)"

stop_pop
expect_status "ringcastd stops cleanly on SIGTERM" 0 $? "$(tail -20 "$work/ringcastd.log")"
finish
