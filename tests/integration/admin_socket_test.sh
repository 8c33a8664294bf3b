#!/usr/bin/env bash
# The admin socket and ringcastctl against a running PoP: status, stats, zones (human and
# --json), reload-zone of one of two zones, exit codes, the socket's mode, then clients that
# misbehave (random bytes, a 10 MB line, half a request then a disconnect, 100 at once, one that
# never reads): the daemon keeps serving DNS and answering. Ends with `ringcastctl stop`.
. "$(dirname "$0")/lib/harness.sh"
. "$(dirname "$0")/lib/control.sh"

org_zone() { # SERIAL
    cat >"$work/example.org.zone" <<ZONE
\$ORIGIN example.org.
\$TTL 300
@    SOA ns1 hostmaster $1 3600 600 86400 300
@    NS  ns1
ns1  A   203.0.113.1
www  A   203.0.113.81
ZONE
}

pop_netns_create "$prefix"
org_zone 100
write_config "pop-admin" af_xdp example.net. "$RINGCAST_SOURCE_DIR/zones/example.net.zone" \
    example.org. "$work/example.org.zone"
start_pop

mode=$(stat -c %a "$work/run/admin.sock")
expect_match "admin socket at <runtime_dir>/admin.sock, mode 0660" "^660$" "$mode"

out=$(ctl status); status=$?
expect_status "status exits 0" 0 $status "$out"
expect_match "status: version, PoP and uptime" "^ringcastd +0\.[0-9.]+ \(pid [0-9]+\), PoP pop-admin, up [0-9]+s" "$out"
expect_match "status: snapshot generation and age" "^snapshot +generation [0-9]+, 2 zone\(s\), .* ago\)" "$out"
expect_match "status: dataplane running and healthy" "^dataplane +running, pid [0-9]+, healthy" "$out"
expect_match "status: lcores" "^lcores +\[1\]" "$out"
expect_match "status: ports" "^port +net_af_xdp0 [0-9a-f:]{17}, 1 queue" "$out"

out=$(ctl status --json | json_get '[j["version"], j["ok"], j["daemon"]["pop"], j["dataplane"]["healthy"], j["dataplane"]["lcores"], j["snapshot"]["generation"] > 0]')
expect_match "status --json: protocol version, PoP, health, lcores, generation" '^\[1, true, "pop-admin", true, \[1\], true\]$' "$out"

out=$(ctl --config "$work/ringcast.toml" zones)
expect_match "zones (socket found through --config): example.net." "^example\.net\. +2026112101 +24 +14 " "$out"
expect_match "zones: example.org." "^example\.org\. +100 +4 +3 +$work/example\.org\.zone" "$out"
out=$(ctl zones --json | json_get '[z["origin"] for z in j["zones"]]')
expect_match "zones --json" '^\["example\.net\.", "example\.org\."\]$' "$out"

pop_client "$prefix" dig +short +time=2 @"$POP_VIP_V4" www.example.org A >/dev/null
out=$(ctl stats)
expect_match "stats: a column per lcore and a total" "^ +lcore 1 +total$" "$out"
expect_match "stats: DNS queries counted" "^dns_udp4_queries +[1-9][0-9]* +[1-9]" "$out"
expect_match "stats: responses by RCODE" "^  NOERROR +[1-9]" "$out"
out=$(ctl stats --json | json_get '[j["total"]["counters"]["dns_udp4_queries"] > 0, len(j["lcores"]), "eth_truncated" in j["total"]["drops"]]')
expect_match "stats --json: totals, lcores, every drop reason" '^\[true, 1, true\]$' "$out"

org_zone 101
out=$(ctl reload-zone example.org 2>&1); status=$?
expect_status "reload-zone example.org: exit 0" 0 $status "$out"
expect_match "reload-zone: the new serial in the reply" "^example\.org\. +101 " "$out"
expect_match "reload-zone: example.org. serves serial 101" "^101$" "$(soa_serial example.org)"
expect_match "reload-zone: example.net. unchanged" "^2026112101$" "$(soa_serial example.net)"

# A reload over [zones] compile_memory_limit is refused, and what was served keeps being served.
org_zone 102
append_host_records "$work/example.org.zone" 50000
cp "$work/ringcast.toml" "$work/ringcast.toml.saved"
printf '[zones]\ncompile_memory_limit = 1\n' >>"$work/ringcast.toml"
out=$(ctl reload 2>&1); status=$?
expect_status "reload over compile_memory_limit: exit 1" 1 $status "$out"
expect_match "reload over compile_memory_limit: names the limit" "above the compile memory limit of 1 MiB" "$out"
expect_match "reload over compile_memory_limit: example.org. still serves serial 101" "^101$" "$(soa_serial example.org)"
mv "$work/ringcast.toml.saved" "$work/ringcast.toml"

out=$(ctl reload-zone example.com. 2>&1); status=$?
expect_status "reload-zone of an unconfigured zone: exit 1" 1 $status "$out"
expect_match "reload-zone of an unconfigured zone: says so" "no zone example\.com\. is configured" "$out"
# Regression: a refused reload-zone (not_found) was not counted; every refused reload is (the
# one over the memory limit above too, as rejected).
out=$(status_field '[j["reload"]["ok"], j["reload"]["rejected"], j["reload"]["failures"]["not_found"], j["reload"]["failures"]["rejected"]]')
expect_match "status: the refused reloads counted, reasons not_found and rejected" '^\[1, 2, 1, 1\]$' "$out"
expect_match "status: the reasons shown to humans" "1 ok, 2 rejected \((not_found 1, rejected 1|rejected 1, not_found 1)\)" "$(ctl status)"
out=$("$RINGCASTCTL" --socket "$work/nothing-here.sock" status 2>&1); status=$?
expect_status "no daemon behind the socket: exit 3" 3 $status "$out"
out=$(ctl frobnicate 2>&1); status=$?
expect_status "unknown ringcastctl command: exit 2" 2 $status "$out"

out=$(ip netns exec "$prefix-pop" "$PY" "$RINGCAST_SOURCE_DIR/tests/integration/admin_abuse.py" "$work/run/admin.sock" 2>&1)
while IFS= read -r line; do
    case "$line" in
        "ok   - "*) pass "${line#ok   - }" ;;
        "FAIL - "*) fail "${line#FAIL - }" ;;
        *) echo "       $line" ;;
    esac
done <<<"$out"

if kill -0 "$daemon_pid" 2>/dev/null; then pass "ringcastd is still running"; else fail "ringcastd is still running" "$(tail -20 "$work/ringcastd.log")"; fi
out=$(pop_client "$prefix" dig +short +time=2 +tries=2 @"$POP_VIP_V4" www.example.net A)
expect_match "the VIP still answers DNS" "^203\.0\.113\.80$" "$out"
out=$(ctl status); status=$?
expect_status "status still answers" 0 $status "$out"
expect_match "the dataplane was never restarted" "; 0 restart\(s\)" "$out"

dataplane_pid=$(status_field 'j["dataplane"]["pid"]')
out=$(ctl stop 2>&1); status=$?
expect_status "ringcastctl stop: exit 0 once stopped" 0 $status "$out"
expect_match "ringcastctl stop: says so" "^ringcastd stopped$" "$out"
if wait_until 10 bash -c "! kill -0 $daemon_pid 2>/dev/null && ! kill -0 $dataplane_pid 2>/dev/null"; then
    pass "ringcastd and the dataplane exited"
else
    fail "ringcastd and the dataplane exited" "$(tail -20 "$work/ringcastd.log")"
fi
wait "$daemon_pid" 2>/dev/null
expect_status "ringcastd exit status after stop" 0 $?
daemon_pid=
if [ -e "$work/run/admin.sock" ]; then fail "the admin socket is removed on exit"; else pass "the admin socket is removed on exit"; fi
finish
