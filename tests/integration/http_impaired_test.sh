#!/usr/bin/env bash
# The 10 MB object through an impaired link (issue 16): random loss (nftables), 50 ms of delay
# and 25 % reordering (tests/tools/link_impair on an NFQUEUE queue; this kernel has no netem) on
# the segments the dataplane sends, in the client namespace. It must arrive intact (sha256)
# within MAX_S, as must PARALLEL_DOWNLOADS more downloads of it running at the same time through
# the same impairment; the test prints the single download's time, the bytes that arrived and
# the retransmit and recovery counters over all of them.
#   usage: http_impaired_test.sh [DELAY_MS REORDER_PERCENT LOSS_PERCENT MAX_S PARALLEL]
# (bench/impaired_link.sh runs it with each impairment alone.)
mode=af_xdp
. "$(dirname "$0")/lib/harness.sh"
. "$(dirname "$0")/lib/control.sh"

readonly BIG_BYTES=$((10 * 1024 * 1024))
readonly DELAY_MS=${1:-50}        # one way, on the segments the dataplane sends
readonly REORDER_PERCENT=${2:-25} # of those, sent at once, ahead of the delayed ones
readonly LOSS_PERCENT=${3:-5}     # of those, dropped (nftables)
readonly MAX_S=${4:-120}          # each download's bound (~60-70 s expected: see meson.build)
readonly PARALLEL_DOWNLOADS=${5:-16}
readonly IMPAIR_QUEUE=8           # NFQUEUE queue numbers are per network namespace
LINK_IMPAIR=$RINGCAST_BUILD_DIR/tests/tools/link_impair

site=$work/www
mkdir -p "$site"
head -c "$BIG_BYTES" /dev/urandom >"$site/big.bin"
pop_netns_create "$prefix"
write_config "pop-impaired" "$mode" example.net. "$RINGCAST_SOURCE_DIR/zones/example.net.zone"
cat >>"$work/ringcast.toml" <<TOML
[[site]]
hosts = ["www.example.net", "$POP_VIP_V4"]
root = "$site"
TOML
start_pop
impair_pid=
trap 'stop_process "$impair_pid"; cleanup' EXIT

client() { pop_client "$prefix" "$@"; }
counter_json() { ctl stats --json | json_get "j['total']['counters'].get('$1', 0)"; }

if [ "$LOSS_PERCENT" -gt 0 ]; then
    client nft -f - <<NFT
table inet impair {
    chain input { type filter hook input priority 0; tcp sport 80 numgen random mod 100 < $LOSS_PERCENT drop; }
}
NFT
    expect_status "nftables loss rule ($LOSS_PERCENT %) in the client namespace" 0 $?
fi
# Bounded by --duration-s; it prints its counts when stopped. (ip netns exec directly, not
# through client(): a backgrounded function is a subshell, and SIGTERM to its pid would not
# reach link_impair.)
ip netns exec "$prefix-client" "$LINK_IMPAIR" --queue-num "$IMPAIR_QUEUE" --delay-ms "$DELAY_MS" \
    --reorder-percent "$REORDER_PERCENT" --duration-s $((MAX_S + 10)) >"$work/impair.log" 2>&1 &
impair_pid=$!
if wait_until 5 grep -q "queue $IMPAIR_QUEUE bound" "$work/impair.log"; then
    pass "link_impair holds NFQUEUE queue $IMPAIR_QUEUE"
else
    fail "link_impair holds NFQUEUE queue $IMPAIR_QUEUE" "$(cat "$work/impair.log")"
fi
# --queue-bypass: the segments pass unimpaired whenever no program holds the queue.
client iptables -I INPUT -p tcp --sport 80 -j NFQUEUE --queue-num "$IMPAIR_QUEUE" --queue-bypass
expect_status "the NFQUEUE rule is installed in the client namespace" 0 $?

what="$LOSS_PERCENT % loss, $DELAY_MS ms delay, $REORDER_PERCENT % reordered"
before_r=$(counter_json tcp_segments_retransmitted)
before_f=$(counter_json tcp_fast_retransmits)
before_t=$(counter_json tcp_retransmission_timeouts)
# Loss detection and recovery (RFC 8985 RACK-TLP, RFC 3042, RFC 2883), printed as deltas.
readonly RECOVERY_COUNTERS="tcp_rack_losses tcp_rack_lost_retransmissions tcp_rack_reorder_timeouts
    tcp_tlp_probes tcp_tlp_recoveries tcp_limited_transmits tcp_sack_dsack_received tcp_recoveries_undone
    tcp_rto_scoreboard_kept tcp_transmit_log_full"
declare -A before_c
for name in $RECOVERY_COUNTERS; do before_c[$name]=$(counter_json "$name"); done
# The parallel downloads start first and run beside the measured one (one after the other would
# double the test's time: each is bound by the loss, not by the link or the CPU).
parallel_pids=()
for i in $(seq "$PARALLEL_DOWNLOADS"); do
    client curl -sS --max-time "$MAX_S" -o "$work/par.$i" "http://$POP_VIP_V4/big.bin" &
    parallel_pids+=($!)
done
start_s=$SECONDS
got=$(client curl -sS --max-time "$MAX_S" -o "$work/big" -w '%{size_download} bytes in %{time_total} s' \
    "http://$POP_VIP_V4/big.bin" 2>&1)
echo "       $what: $got; over all $((PARALLEL_DOWNLOADS + 1)) downloads so far:" \
    "retransmitted $(($(counter_json tcp_segments_retransmitted) - before_r)) segments," \
    "fast retransmits $(($(counter_json tcp_fast_retransmits) - before_f))," \
    "RTOs $(($(counter_json tcp_retransmission_timeouts) - before_t))"
deltas=
for name in $RECOVERY_COUNTERS; do
    deltas+=" ${name#tcp_} $(($(counter_json "$name") - before_c[$name]))"
done
echo "      $deltas"
big_sum=$(sha256sum <"$site/big.bin")
expect_status "$what: 10 MB intact (sha256) within $MAX_S s" "$big_sum" \
    "$(sha256sum <"$work/big" 2>/dev/null)"
for p in "${parallel_pids[@]}"; do wait "$p"; done
[ "$PARALLEL_DOWNLOADS" -gt 0 ] && {
intact=0
for i in $(seq "$PARALLEL_DOWNLOADS"); do
    [ "$(sha256sum <"$work/par.$i" 2>/dev/null)" = "$big_sum" ] && intact=$((intact + 1))
    rm -f "$work/par.$i"
done
echo "       $PARALLEL_DOWNLOADS more 10 MB downloads alongside: all done in $((SECONDS - start_s)) s"
expect_status "$what: $PARALLEL_DOWNLOADS parallel 10 MB downloads, all intact (sha256)" \
    "$PARALLEL_DOWNLOADS" "$intact"
}

client iptables -D INPUT -p tcp --sport 80 -j NFQUEUE --queue-num "$IMPAIR_QUEUE" --queue-bypass
stop_process "$impair_pid"
wait "$impair_pid" 2>/dev/null
impair_pid=
out=$(cat "$work/impair.log")
echo "$out" | tail -1 | sed 's/^/       /'
[ "$DELAY_MS" -gt 0 ] && expect_match "link_impair delayed segments" "delayed [1-9]" "$out"
[ "$REORDER_PERCENT" -gt 0 ] && expect_match "link_impair reordered segments" "reordered [1-9]" "$out"
stop_pop
finish
