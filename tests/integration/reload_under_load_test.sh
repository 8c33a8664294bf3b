#!/usr/bin/env bash
# Hitless reload: dnsperf queries the VIP while the zone file is edited and `ringcastctl reload`
# runs 20 times. Each reload returns only once the new serial is served; a checker asking
# continuously sees every answer whole from the old or the new zone, never going back; dnsperf
# loses no query. Then a broken zone is rejected with file:line errors and changes nothing
# served, and SIGHUP reloads the fixed zone.
. "$(dirname "$0")/lib/harness.sh"
. "$(dirname "$0")/lib/control.sh"

RELOADS=20
DNSPERF_SECONDS=20
DNSPERF_QPS=${RINGCAST_RELOAD_QPS:-2000} # well inside what one lcore on a veth answers; the point is no loss, not speed
zone_file=$work/example.net.zone

# write_zone K [EXTRA]: version K of the zone: serial K, v CNAME vK, vK TXT "gen K".
write_zone() {
    cat >"$zone_file.tmp" <<ZONE
\$ORIGIN example.net.
\$TTL 60
@    SOA ns1 hostmaster $1 3600 600 86400 60
@    NS  ns1
ns1  A   203.0.113.1
www  A   203.0.113.80
v    CNAME v$1
v$1  TXT "gen $1"
${2:-}
ZONE
    mv "$zone_file.tmp" "$zone_file" # as an editor saves: the reader sees one version or the other
}

pop_netns_create "$prefix"
write_zone 1
write_config "pop-reload" af_xdp example.net. "$zone_file"
start_pop

cat >"$work/queries" <<Q
www.example.net A
v.example.net TXT
example.net SOA
nope.example.net A
example.net NS
Q
pop_client "$prefix" dnsperf -s "$POP_VIP_V4" -d "$work/queries" -l "$DNSPERF_SECONDS" \
    -Q "$DNSPERF_QPS" -t 2 >"$work/dnsperf.out" 2>&1 &
dnsperf_pid=$!
pop_client "$prefix" "$PY" "$RINGCAST_SOURCE_DIR/tests/integration/reload_checker.py" \
    "$POP_VIP_V4" example.net. "$work/stop-checker" >"$work/checker.out" 2>&1 &
checker_pid=$!
sleep 1

reload_ok=0 serial_ok=0 worst_ms=0 total_ms=0
for k in $(seq 2 $((RELOADS + 1))); do
    write_zone "$k"
    start_ms=$(date +%s%3N)
    if out=$(ctl reload 2>&1); then reload_ok=$((reload_ok + 1)); else echo "reload $k: $out"; fi
    ms=$(($(date +%s%3N) - start_ms))
    total_ms=$((total_ms + ms)); [ $ms -gt $worst_ms ] && worst_ms=$ms
    served=$(soa_serial example.net)
    if [ "$served" = "$k" ]; then serial_ok=$((serial_ok + 1)); else echo "after reload $k the VIP serves serial '$served'"; fi
    sleep 0.3
done
expect_status "$RELOADS reloads under load returned ok" "$RELOADS" "$reload_ok"
expect_status "the new serial was served right after each reload" "$RELOADS" "$serial_ok"
echo "       reload round trip (ringcastctl reload, compile + load): mean $((total_ms / RELOADS)) ms, worst $worst_ms ms"

touch "$work/stop-checker"
wait "$checker_pid"
summary=$(cat "$work/checker.out")
echo "       checker: $(echo "$summary" | json_get '{k: j[k] for k in ("queries", "timeouts", "inconsistent", "went_back")}')"
expect_match "checker: every answer whole from one zone version" '"inconsistent": 0,' "$summary"
expect_match "checker: versions never went back" '"went_back": 0,' "$summary"
expect_match "checker: no timeouts" '"timeouts": 0,' "$summary"
versions=$(echo "$summary" | json_get 'len(j["versions"])')
if [ "${versions:-0}" -ge $((RELOADS / 2)) ]; then pass "checker saw $versions zone versions"; else fail "checker saw most zone versions" "$summary"; fi

wait "$dnsperf_pid"
perf=$(cat "$work/dnsperf.out")
expect_match "dnsperf: 0 queries lost" "Queries lost: +0 \(" "$perf"
expect_match "dnsperf: queries completed" "Queries completed: +[1-9][0-9]{3,} " "$perf"
echo "       dnsperf: $(grep -E 'Queries (sent|completed|lost)|Queries per second|Average Latency' "$work/dnsperf.out" | tr -s ' ' | tr '\n' ';')"

generation=$(status_field 'j["snapshot"]["generation"]')
last=$((RELOADS + 1))
write_zone 99 "broken A 203.0.113.300"
broken_line=$(grep -n '^broken' "$zone_file" | cut -d: -f1)
out=$(ctl reload 2>&1); status=$?
expect_status "reload of a broken zone: exit 1" 1 $status "$out"
expect_match "reload of a broken zone: file:line error in the reply" "^$zone_file:$broken_line: " "$out"
expect_match "reload of a broken zone: says the old generation keeps being served" "generation $generation keeps being served" "$out"
expect_match "broken zone: the old serial is still served" "^$last$" "$(soa_serial example.net)"
out=$(pop_client "$prefix" dig +short +time=2 @"$POP_VIP_V4" v.example.net TXT)
expect_match "broken zone: the old data is still served" "\"gen $last\"" "$out"
expect_status "broken zone: the snapshot generation is unchanged" "$generation" "$(status_field 'j["snapshot"]["generation"]')"
expect_match "broken zone: status reports the rejected reload" "REJECTED" "$(ctl status)"
stale=$(ls "$work/run" | grep -c '^snapshot-')
expect_status "one snapshot file in the runtime directory" 1 "$stale" "$(ls "$work/run")"

write_zone 100
kill -HUP "$daemon_pid"
if wait_until 10 bash -c "[ \"\$(ip netns exec $prefix-client dig +short +time=1 @$POP_VIP_V4 example.net SOA | awk '{print \$3}')\" = 100 ]"; then
    pass "SIGHUP reloads: serial 100 served"
else
    fail "SIGHUP reloads: serial 100 served" "$(tail -5 "$work/ringcastd.log")"
fi
expect_match "status: no restart during all this" "; 0 restart\(s\)" "$(ctl status)"

stop_pop
expect_status "ringcastd stops cleanly on SIGTERM" 0 $? "$(tail -20 "$work/ringcastd.log")"
finish
