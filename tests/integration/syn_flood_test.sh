#!/usr/bin/env bash
# A SYN flood on port 80 (hping3 --flood, bounded in time) while legitimate clients keep working:
# a loop of curl requests, each on a fresh connection, and one established keep-alive connection
# (Python's http.client) asking every 200 ms. SYN cookies (RFC 4987) keep no state per SYN, so the
# dataplane's memory must not grow with the flood. Prints the SYN rate the client reached, the
# cookies sent, the dataplane's VmRSS before and after, and the TCP engine's caps.
#   usage: syn_flood_test.sh [af_xdp|af_packet]
mode=${1:-af_xdp}
. "$(dirname "$0")/lib/harness.sh"
. "$(dirname "$0")/lib/control.sh"

readonly FLOOD_SECONDS=6
readonly CURL_LOOP_COUNT=30        # fresh-connection requests during the flood, at most
readonly CURL_MAX_S=4              # each; a lost SYN is retried by the kernel after 1 s
readonly MIN_CURL_SUCCESS_PCT=90   # of the fresh-connection requests
readonly KEEPALIVE_INTERVAL_S=0.2
readonly MAX_RSS_GROWTH_KB=8192    # SYN cookies keep no state: far less than one connection per SYN

site=$work/www
mkdir -p "$site"
head -c 1024 /dev/urandom | base64 -w 64 | head -c 1024 >"$site/small.txt"

pop_netns_create "$prefix"
write_config "pop-flood-$mode" "$mode" example.net. "$RINGCAST_SOURCE_DIR/zones/example.net.zone"
cat >>"$work/ringcast.toml" <<TOML
[[site]]
hosts = ["www.example.net", "$POP_VIP_V4", "[$POP_VIP_V6]"]
root = "$site"
TOML
start_pop

client() { pop_client "$prefix" "$@"; }
counter_json() { ctl stats --json | json_get "j['total']['counters'].get('$1', 0)"; }
small_sum=$(sha256sum "$site/small.txt" | cut -d' ' -f1)

dp_pid=$(status_field 'j["dataplane"]["pid"]')
expect_match "the dataplane's pid from ringcastctl status" "^[0-9]+$" "$dp_pid"
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$dp_pid/status"; }
# Warm the path first so the "before" figure counts buffers a normal request touches.
for _ in 1 2 3; do client curl -sS --max-time "$CURL_MAX_S" -o /dev/null "http://$POP_VIP_V4/small.txt"; done
rss_before=$(rss)
sent_before=$(counter_json tcp_syn_cookies_sent)

# One keep-alive connection, opened before the flood, asking until it is told to stop.
client /usr/bin/python3 -c '
import http.client, sys, time, os
conn = http.client.HTTPConnection(sys.argv[1], 80, timeout=5)
conn.auto_open = 0  # a dropped connection must count as a failure, not be reopened
conn.connect()
ok = bad = 0
deadline = time.monotonic() + float(sys.argv[3]) + 10
while time.monotonic() < deadline and not os.path.exists(sys.argv[4]):
    try:
        conn.request("GET", "/small.txt")
        r = conn.getresponse()
        body = r.read()
        ok += r.status == 200
        bad += r.status != 200
    except Exception as e:
        bad += 1
        print("keep-alive error:", repr(e), flush=True)
        break
    time.sleep(float(sys.argv[2]))
print(f"keepalive {ok} {bad}", flush=True)
' "$POP_VIP_V4" "$KEEPALIVE_INTERVAL_S" "$FLOOD_SECONDS" "$work/stop-keepalive" >"$work/keepalive.out" 2>&1 &
keepalive_pid=$!
sleep 0.5

# The flood: SYNs to port 80 from the client's own address (sources in the test's range only),
# as fast as hping3 sends; SIGINT after FLOOD_SECONDS makes it print its count.
client timeout -s INT "$FLOOD_SECONDS" hping3 --flood -S -p 80 "$POP_VIP_V4" >"$work/hping.out" 2>&1 &
flood_pid=$!
sleep 0.5

ok=0 tried=0
flood_end=$((SECONDS + FLOOD_SECONDS - 1))
while [ $tried -lt $CURL_LOOP_COUNT ] && [ $SECONDS -lt $flood_end ]; do
    tried=$((tried + 1))
    got=$(client curl -sS --max-time "$CURL_MAX_S" "http://$POP_VIP_V4/small.txt" 2>/dev/null | sha256sum | cut -d' ' -f1)
    [ "$got" = "$small_sum" ] && ok=$((ok + 1))
    sleep 0.1
done
flood_running=$(kill -0 "$flood_pid" 2>/dev/null && echo yes || echo no)
wait "$flood_pid"
touch "$work/stop-keepalive"
wait "$keepalive_pid"

wait_stats
sent=$(($(counter_json tcp_syn_cookies_sent) - sent_before))
rss_after=$(rss)
hping_sent=$(awk '/packets transmitted/ { print $1 }' "$work/hping.out")
cat "$work/hping.out" | sed 's/^/       hping3: /'
echo "       SYN rate: hping3 sent ${hping_sent:-?} in ${FLOOD_SECONDS} s" \
    "($(( ${hping_sent:-0} / FLOOD_SECONDS ))/s); the dataplane sent $sent SYN cookies" \
    "($((sent / FLOOD_SECONDS ))/s)"
echo "       fresh-connection requests during the flood: $ok of $tried intact"
echo "       keep-alive connection: $(cat "$work/keepalive.out")"
echo "       dataplane VmRSS: ${rss_before} kB before, ${rss_after} kB after ($((rss_after - rss_before)) kB)"
echo "       TCP engine caps per lcore (dataplane/tcp/engine.h EngineConfig):" \
    "$(sed -n '/^struct EngineConfig/,/^};/p' "$RINGCAST_SOURCE_DIR/dataplane/tcp/engine.h" | grep -E '^ *uint[0-9]+_t (max_connections|rx_buffer|tx_buffer|idle_timeout_us)' | sed -E 's/^ *uint[0-9]+_t //; s/;.*//' | paste -sd, -)"
echo "       counters: $(for n in tcp_syn_cookies_sent tcp_syn_cookies_accepted tcp_syn_cookies_rejected \
    tcp_connections_opened tcp_table_full tcp_resets_sent; do printf '%s=%s ' $n "$(counter $n)"; done)"

expect_status "the flood ran for its whole time" yes "$flood_running"
expect_status "the flood reached the dataplane (> 10 000 SYN cookies sent)" 0 "$([ "$sent" -gt 10000 ]; echo $?)"
expect_status "fresh-connection requests ran during the flood" 0 "$([ "$tried" -ge 5 ]; echo $?)"
expect_status "fresh connections during the flood: >= $MIN_CURL_SUCCESS_PCT % complete intact" 0 \
    "$([ $((ok * 100)) -ge $((tried * MIN_CURL_SUCCESS_PCT)) ]; echo $?)"
read -r _ ka_ok ka_bad <<<"$(grep '^keepalive' "$work/keepalive.out")"
expect_status "the established keep-alive connection kept answering, no failure" 0 \
    "$([ "${ka_ok:-0}" -ge 10 ] && [ "${ka_bad:-1}" -eq 0 ]; echo $?)" "$(cat "$work/keepalive.out")"
expect_status "dataplane memory grew by at most $MAX_RSS_GROWTH_KB kB" 0 \
    "$([ $((rss_after - rss_before)) -le $MAX_RSS_GROWTH_KB ]; echo $?)"
expect_status "the flood filled no connection table (cookies, no state)" 0 "$(counter tcp_table_full)"
out=$(client curl -sS --max-time "$CURL_MAX_S" "http://$POP_VIP_V4/small.txt" | sha256sum | cut -d' ' -f1)
expect_status "after the flood: a new request answers" "$small_sum" "$out"
expect_status "the dataplane did not restart" 0 "$(status_field 'j["dataplane"]["restarts"]')"

stop_pop
finish
