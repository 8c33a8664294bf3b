#!/usr/bin/env bash
# One BGP sidecar driver (bird | exabgp | gobgp) against a real BIRD "router": the driver's
# daemon in one namespace, BIRD in another, eBGP over a veth (198.51.100.0/24). Through
# `ringcast-bgp apply` (the code ringcastd uses): announce -> the router has 203.0.113.0/24 with
# the configured communities, large community and prepends; drain -> the route carries 65535:0
# (RFC 8326) and the drain prepends; withdraw -> gone. Bad input (a refused BIRD configuration,
# a sidecar that is not running) is an error that changes nothing.
sidecar=${1:?usage: bgp_sidecar_test.sh bird|exabgp|gobgp}
. "$(dirname "$0")/lib/harness.sh"
. "$(dirname "$0")/lib/control.sh"

. "$(dirname "$0")/lib/bgp.sh"

RINGCAST_BGP=$RINGCAST_BUILD_DIR/controlplane/bgp/ringcast-bgp
spk=$prefix-spk
rtr=$prefix-rtr
sidecar_cleanup() {
    bgp_cleanup_daemons
    ip netns del "$spk" 2>/dev/null
    ip netns del "$rtr" 2>/dev/null
    rm -rf "$work"
}
trap sidecar_cleanup EXIT

ip netns add "$spk"
ip netns add "$rtr"
ip link add bs0 netns "$spk" type veth peer name br0 netns "$rtr"
ip -n "$spk" addr add 198.51.100.2/24 dev bs0
ip -n "$rtr" addr add 198.51.100.1/24 dev br0
ip -n "$spk" addr add 2001:db8:b::2/64 dev bs0 nodad
ip -n "$rtr" addr add 2001:db8:b::1/64 dev br0 nodad
for ns in "$spk" "$rtr"; do ip -n "$ns" link set lo up; done
ip -n "$spk" link set bs0 up
ip -n "$rtr" link set br0 up

bgp_router_start "$rtr"
bgp_speaker_start "$sidecar" "$spk" || exit 2

common_bgp="prefixes = [\"203.0.113.0/24\", {prefix = \"2001:db8:ffff::/48\", communities = [\"64500:6\"]}]
communities = [\"64500:100\"]
large_communities = [\"64500:7:8\"]
prepend = 1
drain_prepend = 2
local_as = 64500"

cat >"$work/pop.toml" <<CONF
[pop]
name = "bgp-$sidecar"
[paths]
runtime_dir = "$work/run"
[dataplane]
ports = ["net_null0"]
vips = ["203.0.113.53"]
[[zone]]
origin = "example.net."
file = "$RINGCAST_SOURCE_DIR/zones/example.net.zone"
[bgp]
sidecar = "$sidecar"
$common_bgp
$bgp_sidecar_keys
CONF
bgp() { ip netns exec "$spk" "$RINGCAST_BGP" "$@"; }

if wait_until 30 bgp session "$work/pop.toml" >/dev/null; then
    pass "$sidecar: session to the router established ($(bgp session "$work/pop.toml"))"
else
    fail "$sidecar: session to the router established" "$(bgp session "$work/pop.toml"; birdc -s "$work/router.ctl" show protocols)"
fi

out=$(bgp apply "$work/pop.toml" announce 2>&1)
expect_status "announce: the driver reports success" 0 $? "$out"
if wait_until 10 has_route; then pass "announce: the router has 203.0.113.0/24"; else fail "announce: the router has 203.0.113.0/24" "$(birdc -s "$work/router.ctl" show route all)"; fi
out=$(route_all)
expect_match "announce: community 64500:100" "BGP.community:.*\(64500,100\)" "$out"
expect_match "announce: large community 64500:7:8" "BGP.large_community:.*\(64500, 7, 8\)" "$out"
expect_match "announce: one prepend (path 64500 64500)" "BGP.as_path: 64500 64500$" "$out"
expect_no_match "announce: no graceful-shutdown community" "\(65535,0\)" "$out"
if wait_until 15 has_route6; then pass "announce: the router has 2001:db8:ffff::/48 (IPv6 session)"; else fail "announce: the router has 2001:db8:ffff::/48" "$(birdc -s "$work/router.ctl" show protocols all pop6)"; fi
expect_match "announce: the IPv6 prefix's own community 64500:6" "BGP.community: \(64500,6\)$" "$(route6_all)"

out=$(bgp apply "$work/pop.toml" drain 2>&1)
expect_status "drain: the driver reports success" 0 $? "$out"
drained() { route_all | grep -q '(65535,0)'; }
if wait_until 10 drained; then pass "drain: the route carries 65535:0"; else fail "drain: the route carries 65535:0" "$(route_all)"; fi
out=$(route_all)
expect_match "drain: one plus two drain prepends (path 64500 x4)" "BGP.as_path: 64500 64500 64500 64500$" "$out"
expect_match "drain: the configured community stays" "\(64500,100\)" "$out"
drained6() { route6_all | grep -q '(65535,0)'; }
if wait_until 10 drained6; then pass "drain: the IPv6 route carries 65535:0 too (one batch)"; else fail "drain: the IPv6 route carries 65535:0" "$(route6_all)"; fi

out=$(bgp apply "$work/pop.toml" withdraw 2>&1)
expect_status "withdraw: the driver reports success" 0 $? "$out"
if wait_until 10 no_route; then pass "withdraw: the route is gone"; else fail "withdraw: the route is gone" "$(route_all)"; fi
if wait_until 10 no_route6; then pass "withdraw: the IPv6 route is gone"; else fail "withdraw: the IPv6 route is gone" "$(route6_all)"; fi

case "$sidecar" in
bird)
    # A configuration BIRD refuses: the error is reported with BIRD's code, the last good file
    # is put back, and BIRD keeps running on it.
    bgp apply "$work/pop.toml" announce >/dev/null
    wait_until 10 has_route
    cp "$work/ringcast-bird.conf" "$work/good.conf"
    echo 'this is not bird' >>"$work/speaker.conf"
    out=$(bgp apply "$work/pop.toml" drain 2>&1)
    expect_status "a refused configure: the driver fails" 1 $? "$out"
    expect_match "a refused configure: BIRD's error code is in the message" "code 8002" "$out"
    expect_status "a refused configure: the last good include file is back" 0 "$(cmp -s "$work/ringcast-bird.conf" "$work/good.conf"; echo $?)"
    sed -i '$d' "$work/speaker.conf"
    expect_no_match "a refused configure: the router still has the undrained route" "\(65535,0\)" "$(route_all)"
    bgp apply "$work/pop.toml" withdraw >/dev/null
    ;;
esac
stop_process "$bgp_speaker_pid"
out=$(bgp apply "$work/pop.toml" announce 2>&1)
expect_status "a sidecar that is not running: apply fails" 1 $? "$out"
expect_match "a sidecar that is not running: the error says so" "." "$out"
finish
