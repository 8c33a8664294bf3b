# A PoP and a client in two network namespaces joined by a veth pair: the topology of the demo
# and of the integration tests. Source this file; every name derives from one prefix, so several
# topologies can exist at once.
#
#   <prefix>-pop     srv0: no kernel addresses (the dataplane owns the VIPs on it)
#   <prefix>-client  cli0: 203.0.113.10/24, 2001:db8:ffff::10/64 (VIPs are on-link)
#
# Only documentation address ranges are used, and traffic never leaves the two namespaces.

POP_CLIENT_V4=203.0.113.10
POP_CLIENT_V6=2001:db8:ffff::10
POP_VIP_V4=203.0.113.53
POP_VIP_V6=2001:db8:ffff::53

pop_netns_create() {
    local prefix=$1
    pop_netns_destroy "$prefix"
    ip netns add "$prefix-pop"
    ip netns add "$prefix-client"
    ip link add srv0 netns "$prefix-pop" type veth peer name cli0 netns "$prefix-client"

    # The kernel on the PoP side must stay silent: no addresses, no IPv6 autoconfiguration.
    ip netns exec "$prefix-pop" sysctl -qw net.ipv6.conf.srv0.disable_ipv6=1
    ip -n "$prefix-pop" link set lo up
    ip -n "$prefix-pop" link set srv0 up

    ip -n "$prefix-client" link set lo up
    ip -n "$prefix-client" link set cli0 up
    ip -n "$prefix-client" addr add "$POP_CLIENT_V4/24" dev cli0
    ip -n "$prefix-client" addr add "$POP_CLIENT_V6/64" dev cli0 nodad
    # The client keeps the kernel's checksum offload: over a veth it sends partial checksums
    # (CHECKSUM_PARTIAL), which the dataplane accepts on a veth port and counts apart.
}

pop_netns_destroy() {
    local prefix=$1
    ip netns del "$prefix-pop" 2>/dev/null || true
    ip netns del "$prefix-client" 2>/dev/null || true
}

# pop_client PREFIX CMD...: runs CMD in the client namespace.
pop_client() {
    local prefix=$1; shift
    ip netns exec "$prefix-client" "$@"
}

# pop_wait_answering PREFIX SECONDS: waits until the VIP answers a DNS query.
pop_wait_answering() {
    local prefix=$1 deadline=$((SECONDS + $2))
    while [ $SECONDS -lt $deadline ]; do
        if pop_client "$prefix" dig +time=1 +tries=1 +short @"$POP_VIP_V4" id.server CH TXT >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.5
    done
    return 1
}

# The health probes' own path to a PoP's dataplane ([health] interface = "probe0"): a veth pair
# inside the PoP namespace, probe1 a second dataplane port ("net_af_xdp1,iface=probe1"), probe0
# the kernel's end with host routes for the VIPs. The kernel's probe goes out of probe0 straight
# into this dataplane, never to the uplink where anycast could hand it to another PoP.
POP_PROBE_V4=192.0.2.250
POP_PROBE_V6=2001:db8:fe::2

# pop_probe_link_create NETNS
pop_probe_link_create() {
    local netns=$1
    ip link add probe0 netns "$netns" type veth peer name probe1 netns "$netns"
    ip netns exec "$netns" sysctl -qw net.ipv6.conf.probe1.disable_ipv6=1
    ip -n "$netns" addr add "$POP_PROBE_V4/32" dev probe0
    ip -n "$netns" addr add "$POP_PROBE_V6/128" dev probe0 nodad
    ip -n "$netns" link set probe0 up
    ip -n "$netns" link set probe1 up
    ip -n "$netns" route add "$POP_VIP_V4/32" dev probe0 src "$POP_PROBE_V4"
    ip -n "$netns" -6 route add "$POP_VIP_V6/128" dev probe0 src "$POP_PROBE_V6"
}
