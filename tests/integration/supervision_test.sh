#!/usr/bin/env bash
# ringcastd keeps the dataplane running and never leaves an orphan:
#   kill -9 of the dataplane  -> restarted (its XDP program detached first), answers again,
#                                status reports the restart and the exit reason;
#   SIGSTOP of the dataplane  -> its control socket stops answering: killed and restarted;
#   kill -9 of ringcastd      -> the dataplane exits (and detaches from the NIC); a new ringcastd
#                                takes over the stale sockets and serves again.
. "$(dirname "$0")/lib/harness.sh"
. "$(dirname "$0")/lib/control.sh"

pop_netns_create "$prefix"
write_config "pop-supervise" af_xdp example.net. "$RINGCAST_SOURCE_DIR/zones/example.net.zone"
# ringcastd starts the real dataplane through this gate: while $hold exists, the next start stops
# itself (SIGSTOP) before its exec, so the test holds a dataplane that has not yet opened its
# control socket, however slow the machine (a SIGSTOP sent from here after seeing "starting" can
# land after the dataplane answered: then the reload goes to a stopped dataplane and times out).
hold=$work/hold-next-start held=$work/held.pid
cat >"$work/dataplane-gate.sh" <<GATE
#!/bin/sh
if rm "$hold" 2>/dev/null; then echo \$\$ >"$held"; kill -STOP \$\$; fi
exec "$RINGCAST_BUILD_DIR/dataplane/runtime/ringcast-dataplane" "\$@"
GATE
chmod +x "$work/dataplane-gate.sh"
sed -i "/^\[dataplane\]\$/a binary = \"$work/dataplane-gate.sh\"" "$work/ringcast.toml"
start_pop
# The first status of a new dataplane: its lcores, about to loop, are not taken for stalled ones.
state_is() { [ "$(status_field 'j["dataplane"]["state"]')" = "$1" ]; }
expect_serving_healthy() { # DESCRIPTION
    wait_until 10 state_is running
    expect_match "$1" "^dataplane +running, pid [0-9]+, healthy" "$(ctl status)"
}
expect_serving_healthy "status after the start: running and healthy"

answers() { pop_client "$prefix" dig +short +time=1 +tries=1 @"$POP_VIP_V4" www.example.net A 2>/dev/null | grep -q '^203\.0\.113\.80$'; }
running_other_than() { # PID: a different dataplane is running and healthy
    local now
    now=$(status_field '[j["dataplane"]["state"], j["dataplane"].get("pid"), j["dataplane"]["healthy"]]')
    [[ "$now" =~ ^\[\"running\",\ ([0-9]+),\ true\]$ ]] && [ "${BASH_REMATCH[1]}" != "$1" ]
}

first=$(status_field 'j["dataplane"]["pid"]')
kill -9 "$first"
start_ms=$(date +%s%3N)
if wait_until 30 running_other_than "$first" && wait_until 10 answers; then
    pass "kill -9 of the dataplane: restarted and answering in $(($(date +%s%3N) - start_ms)) ms"
else
    fail "kill -9 of the dataplane: restarted and answering" "$(tail -20 "$work/ringcastd.log")"
fi
out=$(ctl status)
expect_match "status: one restart" "; 1 restart\(s\)" "$out"
expect_match "status: the exit reason" "last exit: killed by signal 9 \(Killed\)" "$out"
expect_match "the stale XDP program was detached before the restart" "srv0: detached [0-9]+ XDP program\(s\) left by the previous dataplane" "$(cat "$work/ringcastd.log")"

second=$(status_field 'j["dataplane"]["pid"]')
kill -STOP "$second"
start_ms=$(date +%s%3N)
if wait_until 40 running_other_than "$second" && wait_until 10 answers; then
    pass "a hung dataplane (SIGSTOP): killed, restarted and answering in $(($(date +%s%3N) - start_ms)) ms"
else
    fail "a hung dataplane (SIGSTOP): killed, restarted and answering" "$(tail -20 "$work/ringcastd.log")"
fi
out=$(ctl status)
expect_match "status: two restarts" "; 2 restart\(s\)" "$out"
expect_match "status: killed by ringcastd because the control socket stopped answering" "last exit: killed by ringcastd: control socket: no reply" "$out"
kill -0 "$second" 2>/dev/null && fail "the hung dataplane is gone" || pass "the hung dataplane is gone"

# Regression: a catch-up load that failed after a restart was only logged, and the dataplane
# kept serving the older snapshot. A reload lands while the restarted dataplane is held (stopped
# by the gate before it exec's) so it comes up on the snapshot before; the new snapshot file is
# away for its first loads, which fail; ringcastd retries until it serves it.
held_stopped() { [ -s "$held" ] && [[ "$(ps -o stat= -p "$(cat "$held")")" == T* ]]; }
catch_up_failed() { [ "$(status_field 'j["snapshot"].get("catch_up_failures", 0) > 0')" = true ]; }
caught_up() { [ "$(status_field '[j["snapshot"]["catch_up_pending"], j["snapshot"]["serving_generation"] == j["snapshot"]["compiled_generation"]]')" = "[false, true]" ]; }
: >"$hold"
kill -9 "$(status_field 'j["dataplane"]["pid"]')"
if wait_until 40 held_stopped; then
    before=$(status_field 'j["snapshot"]["generation"]')
    if state_is starting; then pass "catch-up: the held dataplane is starting"; else fail "catch-up: the held dataplane is starting" "$(ctl status)"; fi
    expect_match "catch-up: a reload while it is held is adopted for its start" "note: the dataplane is not running" "$(ctl reload)"
    snapshot=$(status_field 'j["snapshot"]["file"]')
    mv "$snapshot" "$snapshot.away"
    kill -CONT "$(cat "$held")"
    if wait_until 30 catch_up_failed; then
        pass "catch-up: the restarted dataplane serves generation $before, the load of $(status_field 'j["snapshot"]["generation"]') failed"
    else
        fail "catch-up: the restarted dataplane serves the older generation, the load failed" "$(ctl status)"
    fi
    expect_match "status: catch-up pending, and what it serves" "CATCH-UP PENDING: the dataplane serves generation $before, not " "$(ctl status)"
    mv "$snapshot.away" "$snapshot"
    if wait_until 30 caught_up; then
        pass "catch-up: retried until the dataplane serves the compiled generation"
    else
        fail "catch-up: retried until the dataplane serves the compiled generation" "$(ctl status; tail -5 "$work/ringcastd.log")"
    fi
else
    fail "catch-up: the restarted dataplane is held before it starts" "$(tail -20 "$work/ringcastd.log")"
fi

third=$(status_field 'j["dataplane"]["pid"]')
{ kill -9 "$daemon_pid"; wait "$daemon_pid"; } 2>/dev/null # no "Killed" job notice in the log
daemon_pid=
start_ms=$(date +%s%3N)
if wait_until 15 bash -c "! kill -0 $third 2>/dev/null"; then
    pass "kill -9 of ringcastd: the dataplane exited within $(($(date +%s%3N) - start_ms)) ms"
else
    fail "kill -9 of ringcastd: the dataplane exited" "$(ps -o pid,stat,cmd -p "$third")"
fi
if answers; then fail "nothing answers for the VIP any more"; else pass "nothing answers for the VIP any more"; fi
out=$(ip -n "$prefix-pop" link show srv0)
expect_no_match "the orphaned dataplane detached its XDP program on the way out" "xdp" "$out"

start_pop # the same runtime directory: stale admin and control sockets, an old snapshot
expect_serving_healthy "a new ringcastd takes over the stale sockets and serves"

stop_pop
expect_status "ringcastd stops cleanly on SIGTERM" 0 $? "$(tail -20 "$work/ringcastd.log")"
finish
