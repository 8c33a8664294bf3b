#!/usr/bin/env bash
# Malformed frames — truncated Ethernet/IP/UDP headers, wrong lengths, bad checksums, a DNS
# header alone, a question running past the packet, compression in the question — never crash
# the dataplane: each is dropped with its named reason or answered FORMERR, and the PoP keeps
# answering afterwards.
#   usage: malformed_frames_test.sh af_xdp|af_packet
mode=${1:?usage: $0 af_xdp|af_packet}
. "$(dirname "$0")/lib/harness.sh"

pop_netns_create "$prefix"
write_config "pop-malformed" "$mode" example.net. "$RINGCAST_SOURCE_DIR/zones/example.net.zone"
start_pop

pop_client "$prefix" ping -c 1 -W 2 "$POP_VIP_V4" >/dev/null
pop_client "$prefix" ping -6 -c 1 -W 2 "$POP_VIP_V6" >/dev/null
pop_mac=$(pop_client "$prefix" ip neigh show "$POP_VIP_V4" dev cli0 | awk '{print $3}')
expect_match "the VIP's MAC is known" "^([0-9a-f]{2}:){5}[0-9a-f]{2}$" "$pop_mac"

# On af_xdp the XDP VIP filter (on by default) passes to the kernel what it cannot tell is for a
# VIP: the script counts those among the filter's verdicts.
filter_arg=
[ "$mode" = af_xdp ] && filter_arg=xdp-filter
out=$(pop_client "$prefix" /usr/bin/python3 "$(dirname "$0")/malformed_frames.py" cli0 "$pop_mac" \
    "$POP_VIP_V4" "$POP_VIP_V6" "$work/run/stats" $filter_arg 2>&1)
status=$?
echo "$out"
expect_status "every malformed frame dropped with its reason or answered FORMERR" 0 $status

out=$(pop_client "$prefix" dig +norec +time=2 +tries=2 @"$POP_VIP_V4" www.example.net A)
expect_match "still answering after the malformed frames" "203\.0\.113\.80" "$out"
kill -0 "$daemon_pid" 2>/dev/null
expect_status "ringcastd (and so the dataplane) still running" 0 $?

stop_pop
expect_status "clean stop" 0 $?
finish
