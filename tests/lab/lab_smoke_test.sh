#!/usr/bin/env bash
# The lab's failover, end to end: two PoPs announce the VIP prefixes to the router over eBGP;
# the client's answers (NSID) come from the best one; when that PoP fails the router drops its
# routes and the answers move to the other PoP. Reports how many queries were lost and how long
# the move took.
#   usage: lab_smoke_test.sh [bird|bird-freeze|dataplane]   how the serving PoP fails:
#     bird         kill -9 of its BIRD: the TCP session closes, the router withdraws at once
#     bird-freeze  SIGSTOP of its BIRD: silence, the router waits for the hold time (3 s)
#     dataplane    kill -9 of its dataplane: ringcastd's BGP driver withdraws (needs the driver) Uses the lab's fixed
# namespaces (rclab-*): it takes down a lab that is already up. Debian's python3 (dnspython).
set -uo pipefail
: "${RINGCAST_SOURCE_DIR:?}" "${RINGCAST_BUILD_DIR:?}"
failure=${1:-bird}
case $failure in bird | bird-freeze | dataplane) ;; *) echo "usage: $0 [bird|bird-freeze|dataplane]" >&2; exit 2 ;; esac
LAB=$RINGCAST_SOURCE_DIR/scripts/lab
VIP=203.0.113.53
LOOP_SECONDS=12     # the query loop's length: 2 s before the kill, the rest after
LOOP_INTERVAL_MS=20 # 50 queries a second
LOOP_TIMEOUT_MS=200
KILL_AFTER_S=2
MAX_FAILOVER_S=6    # hold time 3 s, plus BIRD's and the kernel's work, on a loaded machine

checks_passed=0
checks_failed=0
pass() { checks_passed=$((checks_passed + 1)); echo "ok   - $1"; }
fail() { checks_failed=$((checks_failed + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/       /'; }
expect_match() { if grep -Eq -- "$2" <<<"$3"; then pass "$1"; else fail "$1 (wanted /$2/)" "$3"; fi; }

work=$(mktemp -d /tmp/ringcast-lab.XXXXXX)
export RINGCAST_LAB_DIR=$work/lab
loop_pid=
frozen=
cleanup() {
    [ -n "$loop_pid" ] && kill "$loop_pid" 2>/dev/null
    [ -n "$frozen" ] && kill -CONT "$frozen" 2>/dev/null
    "$LAB" down >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

started=$SECONDS
if out=$("$LAB" up --pops 2 2>&1); then
    pass "lab up with 2 PoPs in $((SECONDS - started)) s: $(tail -n 1 <<<"$out")"
else
    fail "lab up" "$out"
    for f in "$RINGCAST_LAB_DIR"/*/*.log; do echo "== $f"; tail -n 20 "$f"; done
    exit 1
fi

out=$("$LAB" exec client dig +norec +nsid +time=1 +tries=2 @"$VIP" www.example.net A)
expect_match "client: the VIP answers" "^www\.example\.net\..*IN[[:space:]]+A[[:space:]]+203\.0\.113\.80" "$out"
serving=$(sed -n 's/.*NSID: .*("\(pop[0-9]*\)").*/\1/p' <<<"$out")
expect_match "client: NSID names a PoP" "^pop[12]$" "$serving"
out=$("$LAB" exec client dig +norec +nsid +time=1 +tries=2 @2001:db8:ffff::53 www.example.net AAAA)
expect_match "client: the IPv6 VIP answers from the same PoP" "\"$serving\"" "$out"
out=$("$LAB" status 2>&1)
expect_match "lab status: the router's best path" "203\.0\.113\.0/24" "$out"
expect_match "lab status: each PoP's ringcastd" "^pop2: ringcastd" "$out"
out=$("$LAB" exec "$serving" ringcastctl status 2>&1)
expect_match "lab exec: ringcastctl reaches the node's own ringcastd" "PoP $serving" "$out"
[ "$serving" = pop1 ] && other=pop2 || other=pop1
# The health probes' path: each PoP's own kernel reaches its own dataplane (probe0 → probe1),
# whichever PoP the router prefers.
for pop in pop1 pop2; do
    out=$("$LAB" exec "$pop" dig +short +time=1 +tries=2 @"$VIP" id.server CH TXT)
    expect_match "$pop's probe link reaches its own dataplane" "^\"$pop\"$" "$out"
done

# nsid_now: the PoP that answers the client now ("" when none does).
nsid_now() {
    "$LAB" exec client dig +norec +nsid +time=1 +tries=1 @"$VIP" example.net SOA 2>/dev/null |
        sed -n 's/.*NSID: .*("\(pop[0-9]*\)").*/\1/p'
}
# wait_nsid POP SECONDS: until POP answers.
wait_nsid() {
    local deadline=$((SECONDS + $2))
    while [ $SECONDS -lt $deadline ]; do
        [ "$(nsid_now)" = "$1" ] && return 0
        sleep 0.2
    done
    return 1
}
birdc_pop() { "$LAB" exec "$1" birdc -s "$RINGCAST_LAB_DIR/$1/bird.ctl" "${@:2}"; }

# Whether ringcastd drives the PoP's BIRD itself (controlplane/bgp): then it owns the include file.
driver=$("$LAB" exec "$serving" ringcastctl status --json |
    /usr/bin/python3 -c 'import json,sys; print("yes" if "sidecar" in json.load(sys.stdin).get("bgp", {}) else "no")')
echo "     ringcastd's BGP driver: $driver"
if [ "$failure" = dataplane ] && [ "$driver" != yes ]; then
    fail "failure mode dataplane needs ringcastd's BGP driver (nothing withdraws for a dead dataplane)"
    exit 1
fi

# Graceful shutdown (RFC 8326): the serving PoP tags its routes with 65535:0 (ringcastctl drain
# with the driver; without it, the lab rewrites the include file the same way and reconfigures
# BIRD). The router sets their LOCAL_PREF to 0, so the other PoP's routes win.
include=$RINGCAST_LAB_DIR/$serving/bgp-prefixes.conf
if [ "$driver" = yes ]; then
    "$LAB" exec "$serving" ringcastctl drain >/dev/null
else
    cp "$include" "$work/include.orig"
    sed -i 's|route \([^ ]*\) blackhole;|route \1 blackhole { bgp_community.add((65535,0)); };|' "$include"
    birdc_pop "$serving" configure >/dev/null
fi
if wait_nsid "$other" 10; then pass "graceful shutdown from $serving: answers from $other"; else fail "graceful shutdown from $serving: answers from $other" "$(nsid_now)"; fi
out=$("$LAB" exec router birdc -s "$RINGCAST_LAB_DIR/router/bird.ctl" show route 203.0.113.0/24 all 2>&1)
expect_match "the router lowers the tagged route's LOCAL_PREF to 0" "BGP\.local_pref: 0" "$out"
if [ "$driver" = yes ]; then
    "$LAB" exec "$serving" ringcastctl undrain >/dev/null
else
    cp "$work/include.orig" "$include"
    birdc_pop "$serving" configure >/dev/null
fi
if wait_nsid "$serving" 20; then pass "untagged again: answers from $serving"; else fail "untagged again: answers from $serving" "$(nsid_now)"; fi

# Queries at a steady pace; the serving PoP fails in the middle.
"$LAB" exec client /usr/bin/python3 "$RINGCAST_SOURCE_DIR/tests/lab/nsid_loop.py" "$VIP" "$LOOP_SECONDS" \
    "$LOOP_INTERVAL_MS" "$LOOP_TIMEOUT_MS" >"$work/answers" 2>"$work/loop.err" &
loop_pid=$!
sleep "$KILL_AFTER_S"
bird_pid=$(cat "$RINGCAST_LAB_DIR/$serving/bird.pid")
dataplane_pid=$("$LAB" exec "$serving" ringcastctl status --json |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["dataplane"].get("pid", ""))')
killed_at=$(date +%s.%N)
case $failure in
    bird) kill -9 "$bird_pid" ;;
    bird-freeze) kill -STOP "$bird_pid"; frozen=$bird_pid ;;
    dataplane) kill -9 "$dataplane_pid" ;;
esac
wait "$loop_pid"
loop_pid=

summary=$(awk -v k="$killed_at" -v from="$serving" -v to="$other" '
    { total++ }
    $2 == "LOST" { lost++ }
    $1 < k && $2 == from { before++ }
    $1 >= k && $2 == to && !moved { moved = $1 }
    END {
        printf "total=%d lost=%d before=%d ", total, lost + 0, before + 0
        if (moved) printf "moved_after=%.2f", moved - k; else printf "moved_after=never"
    }' "$work/answers")
echo "     failover: $summary (queries every $LOOP_INTERVAL_MS ms, timeout $LOOP_TIMEOUT_MS ms)"
expect_match "answers came from $serving before the kill" "before=[1-9]" "$summary"
expect_match "answers moved to $other after the failure ($failure) of $serving" "moved_after=[0-9]" "$summary"
moved=$(sed -n 's/.*moved_after=\([0-9.]*\).*/\1/p' <<<"$summary")
if [ -n "$moved" ] && awk -v m="$moved" -v max="$MAX_FAILOVER_S" 'BEGIN { exit !(m <= max) }'; then
    pass "the move took ${moved} s (within ${MAX_FAILOVER_S} s)"
else
    fail "the move took ${moved:-forever} s (over ${MAX_FAILOVER_S} s)" "$(tail -n 5 "$work/answers")"
fi
if [ "$failure" = dataplane ]; then
    # ringcastd restarts the dataplane and announces again after the hold-down.
    if wait_nsid "$serving" 15; then pass "the restarted dataplane of $serving takes its traffic back"; else fail "the restarted dataplane of $serving takes its traffic back" "$(nsid_now)"; fi
else
    last=$(tail -n 1 "$work/answers")
    expect_match "the last answer is from $other" " $other$" "$last"
    out=$("$LAB" exec router birdc -s "$RINGCAST_LAB_DIR/router/bird.ctl" show route 203.0.113.0/24 2>&1)
    expect_match "the router's route is via $other" "pop${other#pop}_v4" "$out"
fi

"$LAB" down >/dev/null 2>&1
left=$(ip netns list | grep -c '^rclab-')
expect_match "lab down leaves no lab namespace" "^0$" "$left"
echo "$checks_passed passed, $checks_failed failed (in $((SECONDS - started)) s)"
[ "$checks_failed" -eq 0 ]
