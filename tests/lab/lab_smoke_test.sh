#!/usr/bin/env bash
# The lab's failover, end to end: two PoPs announce the VIP prefixes to the router over eBGP;
# the client's answers (NSID) come from the best one; when that PoP fails the router drops its
# routes and the answers move to the other PoP. Reports how many queries were lost and how long
# the move took.
#   usage: lab_smoke_test.sh [bird|bird-freeze|dataplane|drain|guard]   what happens to the
#   serving PoP:
#     bird         first under load (dnsperf): BGP stays up on the dataplane's link and TCP to
#                  the host's own address works; then kill -9 of its BIRD: the TCP session
#                  closes, the router withdraws at once
#     bird-freeze  SIGSTOP of its BIRD: silence, the router waits for the hold time (3 s)
#     dataplane    kill -9 of its dataplane: ringcastd's BGP driver withdraws
#     drain        ringcastctl drain (RFC 8326 graceful shutdown, then the withdrawal) and
#                  undrain (announced again after the hold-down): no query may be lost
#     guard        every PoP gets a zone without the name its probes ask: the failure looks
#                  global, so the global-withdrawal guard keeps every PoP announced
# Uses the lab's fixed namespaces (rclab-*): it takes down a lab that is already up. Debian's
# python3 (dnspython).
set -uo pipefail
: "${RINGCAST_SOURCE_DIR:?}" "${RINGCAST_BUILD_DIR:?}"
failure=${1:-bird}
case $failure in bird | bird-freeze | dataplane | drain | guard) ;; *) echo "usage: $0 [bird|bird-freeze|dataplane|drain|guard]" >&2; exit 2 ;; esac
LAB=$RINGCAST_SOURCE_DIR/scripts/lab
VIP=203.0.113.53
LOOP_SECONDS=12     # the query loop's length: 2 s before the kill, the rest after
LOOP_INTERVAL_MS=20 # 50 queries a second
LOOP_TIMEOUT_MS=200
KILL_AFTER_S=2
MAX_FAILOVER_S=6    # hold time 3 s, plus BIRD's and the kernel's work, on a loaded machine
DRAIN_S=5           # the lab's [bgp] drain_seconds: graceful shutdown, then the withdrawal
HOLD_DOWN_S=2       # the lab's [bgp] hold_down_seconds
GUARD_TIMEOUT_S=15  # the probes' fall count at 500 ms, reload and BGP on a loaded machine
LOAD_SECONDS=8      # dnsperf at the client's full rate against the serving PoP (mode bird)
LOAD_TCP_TRIES=10   # connections to the PoP host's own address during it

. "$RINGCAST_SOURCE_DIR/tests/lib/checks.sh"

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
out=$("$LAB" exec client curl -sS -I --max-time 5 "http://$VIP/" 2>&1)
expect_match "client: HTTP from the same PoP (X-PoP)" "^X-PoP: $serving" "$(tr -d '\r' <<<"$out")"
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

# Whether ringcastd drives the PoP's BIRD itself (controlplane/bgp): then it owns the include file.
driver=$("$LAB" exec "$serving" ringcastctl status --json |
    /usr/bin/python3 -c 'import json,sys; print("yes" if "sidecar" in json.load(sys.stdin).get("bgp", {}) else "no")')
echo "     ringcastd's BGP driver: $driver"
expect_match "ringcastd drives the PoP's BIRD" "^yes$" "$driver"
[ "$driver" = yes ] || exit 1

# query_loop SECONDS ACT_AFTER_S CMD...: queries the VIP every LOOP_INTERVAL_MS for SECONDS and
# runs CMD ACT_AFTER_S into it; $acted_at is when CMD ran, $work/answers holds "<time> <NSID|LOST>".
query_loop() {
    local seconds=$1 after=$2
    shift 2
    "$LAB" exec client /usr/bin/python3 "$RINGCAST_SOURCE_DIR/tests/lab/nsid_loop.py" "$VIP" "$seconds" \
        "$LOOP_INTERVAL_MS" "$LOOP_TIMEOUT_MS" >"$work/answers" 2>"$work/loop.err" &
    loop_pid=$!
    sleep "$after"
    acted_at=$(date +%s.%N)
    "$@"
    wait "$loop_pid"
    loop_pid=
}
# summarize FROM TO: counts of the last loop around $acted_at, and when answers moved FROM → TO.
summarize() {
    awk -v k="$acted_at" -v from="$1" -v to="$2" '
        { total++ }
        $2 == "LOST" { lost++ }
        $1 < k && $2 == from { before++ }
        $1 >= k && $2 == to && !moved { moved = $1 }
        END {
            printf "total=%d lost=%d before=%d ", total, lost + 0, before + 0
            if (moved) printf "moved_after=%.2f", moved - k; else printf "moved_after=never"
        }' "$work/answers"
}
moved_of() { sed -n 's/.*moved_after=\([0-9.]*\).*/\1/p' <<<"$1"; }
router_route() { "$LAB" exec router birdc -s "$RINGCAST_LAB_DIR/router/bird.ctl" show route 203.0.113.0/24 "$@" 2>&1; }
router_route6() { "$LAB" exec router birdc -s "$RINGCAST_LAB_DIR/router/bird.ctl" show route 2001:db8:ffff::/48 "$@" 2>&1; }
# bgp_json POP: ringcastd's bgp section (announce state, guard), one line of JSON.
bgp_json() { "$LAB" exec "$1" ringcastctl status --json | /usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin).get("bgp", {})))'; }
guard_released() { ! guard_active "$1"; }
guard_active() { [ "$(bgp_json "$1" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin).get("guard", {}).get("active", False))')" = True ]; }
wait_for() { # SECONDS CMD...: until CMD succeeds
    local deadline=$((SECONDS + $1))
    shift
    while [ $SECONDS -lt $deadline ]; do "$@" && return 0; sleep 0.2; done
    return 1
}

# under_load: the serving PoP's dataplane answers dnsperf at the client's full rate while its
# kernel keeps the BGP sessions on the same link (the XDP VIP filter passes them) and accepts
# TCP to its own address there (an operator's SSH).
under_load() {
    local host=192.0.2.$((8 * (${serving#pop} - 1) + 2)) since_before since_after listener tcp_ok=0 dnsperf_pid
    printf 'www.example.net A\nexample.net SOA\nnope.example.net A\nexample.net NS\n' >"$work/queries"
    "$LAB" exec "$serving" timeout $((LOAD_SECONDS + 10)) /usr/bin/python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 22))
s.listen(8)
while True:
    c, _ = s.accept()
    c.sendall(b"kernel 22\n")
    c.close()' "$host" &
    listener=$!
    since_before=$(router_sessions "$serving")
    "$LAB" exec client dnsperf -s "$VIP" -d "$work/queries" -l "$LOAD_SECONDS" -c 4 -q 200 >"$work/dnsperf.out" 2>&1 &
    dnsperf_pid=$!
    sleep 1
    for _ in $(seq "$LOAD_TCP_TRIES"); do
        [ "$("$LAB" exec router timeout 2 bash -c "exec 3<>/dev/tcp/$host/22 && head -n 1 <&3" 2>/dev/null)" = "kernel 22" ] && tcp_ok=$((tcp_ok + 1))
        sleep 0.3
    done
    wait "$dnsperf_pid"
    kill "$listener" 2>/dev/null
    since_after=$(router_sessions "$serving")
    echo "     under load: $(grep -E 'Queries (sent|completed)|Queries per second' "$work/dnsperf.out" | tr -s ' ' | tr '\n' ';')"
    expect_match "under load: $serving answered dnsperf (≥ 90 % completed)" "completed: +[0-9]+ \((9[0-9]|100)\.[0-9]+%\)" "$(cat "$work/dnsperf.out")"
    expect_match "under load: TCP to $serving's own address ($host:22) answered by its kernel" "^$LOAD_TCP_TRIES$" "$tcp_ok"
    expect_match "under load: the router's sessions to $serving stayed established (no flap)" "^$since_before$" "$since_after"
    expect_match "under load: both sessions established" "^(pop[0-9]_v[46] up [0-9:.]+ Established ?){2}$" "$(tr '\n' ' ' <<<"$since_after" | sed 's/ $//')"
}
# router_sessions POP: "name state since info" of the router's sessions to POP, one a line.
router_sessions() {
    "$LAB" exec router birdc -s "$RINGCAST_LAB_DIR/router/bird.ctl" show protocols |
        awk -v p="$1_v" 'index($1, p) == 1 { print $1, $4, $5, $6 }'
}

case $failure in
drain)
    # Graceful shutdown (RFC 8326): ringcastd tags the serving PoP's routes with 65535:0, the
    # router sets their LOCAL_PREF to 0 and prefers the other PoP; drain_seconds later they are
    # withdrawn. The drained PoP answers until then, so nothing in flight is lost.
    query_loop $((DRAIN_S + 3)) "$KILL_AFTER_S" "$LAB" exec "$serving" ringcastctl drain >/dev/null
    summary=$(summarize "$serving" "$other")
    echo "     drain: $summary (queries every $LOOP_INTERVAL_MS ms, timeout $LOOP_TIMEOUT_MS ms)"
    expect_match "drain of $serving: answers moved to $other" "moved_after=[0-9]" "$summary"
    expect_match "drain of $serving: no query lost" "lost=0 " "$summary"
    route_gone() { ! grep -q "pop${serving#pop}_v4" <<<"$(router_route all)" && ! grep -q "pop${serving#pop}_v6" <<<"$(router_route6 all)"; }
    if wait_for 5 route_gone; then pass "drain_seconds later: $serving's IPv4 and IPv6 routes are withdrawn"; else fail "drain_seconds later: $serving's IPv4 and IPv6 routes are withdrawn" "$(router_route all; router_route6 all)"; fi
    expect_match "the router's IPv6 route is via $other" "pop${other#pop}_v6" "$(router_route6)"
    out=$("$LAB" exec "$serving" ringcastctl status 2>&1)
    expect_match "ringcastctl status on $serving: withdrawn, drain on" "bgp +withdrawn .*drain ON" "$out"
    query_loop $((HOLD_DOWN_S + 5)) "$KILL_AFTER_S" "$LAB" exec "$serving" ringcastctl undrain >/dev/null
    summary=$(summarize "$other" "$serving")
    echo "     undrain: $summary"
    moved=$(moved_of "$summary")
    expect_match "undrain: answers back at $serving" "moved_after=[0-9]" "$summary"
    expect_match "undrain: no query lost" "lost=0 " "$summary"
    if [ -n "$moved" ] && awk -v m="$moved" -v h="$HOLD_DOWN_S" 'BEGIN { exit !(m >= h) }'; then
        pass "undrain: back only after the ${HOLD_DOWN_S} s hold-down (${moved} s)"
    else
        fail "undrain: back only after the ${HOLD_DOWN_S} s hold-down (${moved:-never} s)"
    fi
    ;;
guard)
    # First a good reload: the PoP keeps its routes through it (the generation it serves changes
    # under the announcer's feet; a withdrawal here would flap every PoP on every push).
    withdrawals() { grep -c -- '-> withdrawn' "$RINGCAST_LAB_DIR/$serving/ringcastd.log"; }
    before=$(withdrawals)
    "$LAB" exec "$serving" ringcastctl reload >/dev/null
    sleep 2 # two status polls and eight announcer ticks
    expect_match "a good reload of $serving: no withdrawal" "^$before$" "$(withdrawals)"
    # A zone pushed to every PoP without www.example.net, the name the lab's probes ask: every
    # probe of every PoP fails on an answer (NXDOMAIN), which each PoP's ringcastd reads as a
    # failure that is not its own. Withdrawing would take the service off the Internet, so the
    # guard keeps both announced, and the rest of the zone is still served.
    declare -A pushed_at
    for pop in pop1 pop2; do
        pushed_at[$pop]=$(grep -c -- '-> withdrawn' "$RINGCAST_LAB_DIR/$pop/ringcastd.log")
        sed -i '/^www /d' "$RINGCAST_LAB_DIR/$pop/zones/example.net.zone"
    done
    query_loop 6 1 bash -c "\"$LAB\" exec pop1 ringcastctl reload >/dev/null; \"$LAB\" exec pop2 ringcastctl reload >/dev/null"
    summary=$(summarize "$serving" "$other")
    echo "     bad zone on every PoP: $summary"
    expect_match "the bad zone on every PoP: no query lost" "lost=0 " "$summary"
    for pop in pop1 pop2; do
        if wait_for "$GUARD_TIMEOUT_S" guard_active "$pop"; then
            pass "$pop: the guard holds (status: $(bgp_json "$pop" | /usr/bin/python3 -c 'import json,sys; b=json.load(sys.stdin); print(b["state"], "-", b["guard"]["reason"])'))"
        else
            fail "$pop: the guard holds" "$(bgp_json "$pop")"
        fi
    done
    out=$("$LAB" exec "$serving" ringcastctl status 2>&1)
    expect_match "ringcastctl status says so" "GUARD: staying announced" "$out"
    out=$(router_route all)
    expect_match "the router keeps pop1's routes" "pop1_v4" "$out"
    expect_match "the router keeps pop2's routes" "pop2_v4" "$out"
    out=$("$LAB" exec client dig +norec +time=1 +tries=2 @"$VIP" www.example.net A)
    expect_match "the client gets the bad zone's answer, not a timeout" "status: NXDOMAIN" "$out"
    # The fix pushed everywhere: healthy again, the guard released, still announced.
    for pop in pop1 pop2; do
        cp "$RINGCAST_SOURCE_DIR/zones/example.net.zone" "$RINGCAST_LAB_DIR/$pop/zones/"
        "$LAB" exec "$pop" ringcastctl reload >/dev/null
    done
    for pop in pop1 pop2; do
        if wait_for "$GUARD_TIMEOUT_S" guard_released "$pop"; then
            pass "$pop: the fixed zone releases the guard"
        else
            fail "$pop: the fixed zone releases the guard" "$(bgp_json "$pop")"
        fi
    done
    # Neither the bad push nor its fix withdrew a PoP: the guard held until the probes rose.
    for pop in pop1 pop2; do
        expect_match "$pop: no withdrawal through the bad push and its fix" "^${pushed_at[$pop]}$" \
            "$(grep -c -- '-> withdrawn' "$RINGCAST_LAB_DIR/$pop/ringcastd.log")"
    done
    www_answers() { [ "$("$LAB" exec client dig +norec +short +time=1 +tries=1 @"$VIP" www.example.net A)" = 203.0.113.80 ]; }
    if wait_for 10 www_answers; then
        pass "www.example.net answers again"
    else
        fail "www.example.net answers again" "$(grep -h 'bgp:\|health:' "$RINGCAST_LAB_DIR"/pop*/ringcastd.log | tail -n 20)"
    fi
    ;;
*)
    if [ "$failure" = bird ]; then under_load; fi
    # Queries at a steady pace; the serving PoP fails in the middle.
    bird_pid=$(cat "$RINGCAST_LAB_DIR/$serving/bird.pid")
    dataplane_pid=$("$LAB" exec "$serving" ringcastctl status --json |
        /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["dataplane"].get("pid", ""))')
    case $failure in
        bird) query_loop "$LOOP_SECONDS" "$KILL_AFTER_S" kill -9 "$bird_pid" ;;
        bird-freeze) frozen=$bird_pid; query_loop "$LOOP_SECONDS" "$KILL_AFTER_S" kill -STOP "$bird_pid" ;;
        dataplane) query_loop "$LOOP_SECONDS" "$KILL_AFTER_S" kill -9 "$dataplane_pid" ;;
    esac
    summary=$(summarize "$serving" "$other")
    echo "     failover: $summary (queries every $LOOP_INTERVAL_MS ms, timeout $LOOP_TIMEOUT_MS ms)"
    expect_match "answers came from $serving before the kill" "before=[1-9]" "$summary"
    expect_match "answers moved to $other after the failure ($failure) of $serving" "moved_after=[0-9]" "$summary"
    moved=$(moved_of "$summary")
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
        expect_match "the router's route is via $other" "pop${other#pop}_v4" "$(router_route)"
    fi
    ;;
esac

"$LAB" down >/dev/null 2>&1
left=$(ip netns list | grep -c '^rclab-')
expect_match "lab down leaves no lab namespace" "^0$" "$left"
finish "(in $((SECONDS - started)) s)"
