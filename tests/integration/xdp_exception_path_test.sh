#!/usr/bin/env bash
# The XDP exception path: the dataplane owns srv0 through AF_XDP, and the PoP host's kernel has
# its own addresses on the same interface. With the VIP filter (the default) the dataplane keeps
# answering the VIP while TCP to the host's address (BGP's port 179, SSH's 22, over IPv4 and
# IPv6) and ping to it reach the kernel; with xdp_vip_filter = false DPDK's own program takes
# every frame and the kernel-side TCP fails, which shows this test can fail.
mode=af_xdp
. "$(dirname "$0")/lib/harness.sh"

HOST_V4=203.0.113.2 # the PoP host's own address on srv0 (the VIPs stay off the kernel)
HOST_V6=2001:db8:ffff::2

pop_netns_create "$prefix"
ip netns exec "$prefix-pop" sysctl -qw net.ipv6.conf.srv0.disable_ipv6=0
ip -n "$prefix-pop" addr add "$HOST_V4/24" dev srv0
ip -n "$prefix-pop" addr add "$HOST_V6/64" dev srv0 nodad

# Kernel-side listeners on the host's addresses: each accepts and answers "kernel <port>".
. "$(dirname "$0")/lib/host_tcp.sh"
host_listeners_start 179 22

vip_answers() {
    pop_client "$prefix" dig +norec +time=2 +tries=2 @"$1" www.example.net A
}

write_config "pop-xdp" af_xdp example.net. "$RINGCAST_SOURCE_DIR/zones/example.net.zone"
start_pop
expect_match "the dataplane found the VIP filter and gave it the VIPs" \
    "XDP VIP filter \(program id [0-9]+\) sends 1 IPv4 and 1 IPv6 VIP" "$(cat "$work/ringcastd.log")"
out=$(ip -n "$prefix-pop" -d link show srv0)
expect_match "the VIP filter is attached to srv0" "prog/xdp id [0-9]+ name rc_vip_filter" "$out"

expect_match "dig on the VIP over IPv4" "203\.0\.113\.80" "$(vip_answers "$POP_VIP_V4")"
for port in 179 22; do
    expect_match "TCP to the host's IPv4 address, port $port, reaches the kernel" \
        "^kernel $port$" "$(kernel_tcp "$HOST_V4" "$port")"
    expect_match "TCP to the host's IPv6 address, port $port, reaches the kernel" \
        "^kernel $port$" "$(kernel_tcp "$HOST_V6" "$port")"
done
out=$(pop_client "$prefix" ping -c 2 -W 2 "$HOST_V4" 2>&1)
expect_match "ping to the host's IPv4 address" " 0% packet loss" "$out"
out=$(pop_client "$prefix" ping -6 -c 2 -W 2 "$HOST_V6" 2>&1)
expect_match "ping to the host's IPv6 address (ND for it went to the kernel)" " 0% packet loss" "$out"
out=$(pop_client "$prefix" ping -c 2 -W 2 "$POP_VIP_V4" 2>&1)
expect_match "ping to the VIP, answered by the dataplane" " 0% packet loss" "$out"
expect_match "dig on the VIP over IPv6, after the kernel traffic" "203\.0\.113\.80" \
    "$(pop_client "$prefix" dig +norec +time=2 +tries=2 @"$POP_VIP_V6" www.example.net A)"

wait_stats
for verdict in redirect_ipv4 redirect_ipv6 redirect_arp redirect_nd pass_ipv4 pass_ipv6 pass_arp; do
    n=$(counter "xdp_$verdict")
    if [ "${n:-0}" -gt 0 ]; then pass "xdp_$verdict counted ($n)"; else fail "xdp_$verdict counted" "$(grep ^xdp_ "$work/run/stats")"; fi
done
n=$(counter xdp_pass_no_socket)
expect_status "no VIP frame found its queue without a socket" 0 "$n"
out=$("$RINGCASTCTL" --socket "$work/run/admin.sock" stats 2>&1)
expect_match "ringcastctl stats shows the XDP verdicts" "XDP filter verdicts:" "$out"
expect_match "ringcastctl stats: pass_ipv4" "^  pass_ipv4 +[1-9]" "$out"

# Malformed frames through the filter: what it passes to the kernel is counted there instead.
pop_mac=$(pop_client "$prefix" ip neigh show "$POP_VIP_V4" dev cli0 | awk '{print $3}')
out=$(pop_client "$prefix" /usr/bin/python3 "$(dirname "$0")/malformed_frames.py" cli0 "$pop_mac" \
    "$POP_VIP_V4" "$POP_VIP_V6" "$work/run/stats" xdp-filter 2>&1)
status=$?
echo "$out"
expect_status "malformed frames: each dropped with its reason, answered FORMERR, or passed by the filter" 0 $status

# SIGKILL leaves the filter attached (only a clean close detaches it): ringcastd recognises it
# as ringcast's own, detaches it before the restart, and the new dataplane attaches its own.
dataplane_pid=$(pgrep -P "$daemon_pid" -f ringcast-dataplane)
kill -9 "$dataplane_pid"
deadline=$((SECONDS + 30))
until grep -q "srv0: detached 1 XDP program(s) left by the previous dataplane" "$work/ringcastd.log" &&
    pop_wait_answering "$prefix" 2; do
    [ $SECONDS -lt $deadline ] || break
    sleep 0.5
done
expect_match "after kill -9: ringcastd detached the filter left behind" \
    "srv0: detached 1 XDP program\(s\) left by the previous dataplane" "$(cat "$work/ringcastd.log")"
expect_match "after kill -9: the restarted dataplane answers on the VIP" "203\.0\.113\.80" \
    "$(vip_answers "$POP_VIP_V4")"
expect_match "after kill -9: TCP to the host's address still reaches the kernel" "^kernel 179$" \
    "$(kernel_tcp "$HOST_V4" 179)"

stop_pop
expect_status "clean stop" 0 $?
out=$(ip -n "$prefix-pop" -d link show srv0)
expect_no_match "the VIP filter is detached on a clean stop" "prog/xdp" "$out"

# The filter off: DPDK's own program takes every frame on the queue, the kernel sees none.
sed -i 's/^\[dataplane\]$/[dataplane]\nxdp_vip_filter = false/' "$work/ringcast.toml"
ip -n "$prefix-client" neigh flush dev cli0
start_pop
out=$(ip -n "$prefix-pop" -d link show srv0)
expect_no_match "filter off: the VIP filter is not attached" "name rc_vip_filter" "$out"
expect_match "filter off: dig on the VIP still works" "203\.0\.113\.80" "$(vip_answers "$POP_VIP_V4")"
out=$(kernel_tcp "$HOST_V4" 179)
expect_match "filter off: TCP to the host's address never reaches the kernel" "^failed:" "$out"
stop_pop
expect_status "filter off: clean stop" 0 $?

# A filter object that is not there stops start-up with the key named (--check says so too).
sed -i 's|^xdp_vip_filter = false$|xdp_program = "'"$work"'/missing.bpf.o"|' "$work/ringcast.toml"
out=$("$RINGCASTD" --config "$work/ringcast.toml" --check 2>&1)
expect_status "a missing xdp_program fails the check" 1 $? "$out"
expect_match "a missing xdp_program is named" "\[dataplane\] xdp_program: cannot read $work/missing\.bpf\.o; nothing started" "$out"

host_listeners_stop
finish
