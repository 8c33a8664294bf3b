# BGP test topology helpers: a BIRD "router" (AS 64501, 198.51.100.1 and 2001:db8:b::1) and a
# sidecar speaker (AS 64500, 198.51.100.2 and 2001:db8:b::2) in namespaces the test created,
# over a veth the test created: one session per address family.
# Source after lib/harness.sh; set $work first. Every daemon's pid goes to bgp_pids.

bgp_pids=()
bgp_fifos=()

# bgp_cleanup_daemons: stops every daemon started here and removes the ExaBGP pipes.
bgp_cleanup_daemons() {
    for pid in "${bgp_pids[@]}"; do stop_process "$pid"; done
    for f in "${bgp_fifos[@]}"; do rm -f "$f"; done
}

# bgp_link_create POP_NS RTR_NS: the router's namespace and the veth between it and the PoP
# (bgp0 in POP_NS, rtr0 in RTR_NS), with the addresses above.
bgp_link_create() {
    local pop=$1 rtr=$2
    ip netns add "$rtr"
    ip link add bgp0 netns "$pop" type veth peer name rtr0 netns "$rtr"
    ip -n "$pop" addr add 198.51.100.2/24 dev bgp0
    ip -n "$pop" link set bgp0 up
    ip -n "$rtr" addr add 198.51.100.1/24 dev rtr0
    ip netns exec "$pop" sysctl -qw net.ipv6.conf.bgp0.disable_ipv6=0
    ip -n "$pop" addr add 2001:db8:b::2/64 dev bgp0 nodad
    ip -n "$rtr" addr add 2001:db8:b::1/64 dev rtr0 nodad
    ip -n "$rtr" link set lo up
    ip -n "$rtr" link set rtr0 up
}

# bgp_router_start NS: BIRD in NS, importing everything from the PoP, socket $work/router.ctl.
bgp_router_start() {
    cat >"$work/router.conf" <<CONF
router id 198.51.100.1;
protocol device {}
protocol bgp pop {
    local 198.51.100.1 as 64501;
    neighbor 198.51.100.2 as 64500;
    hold time 9;
    ipv4 { import all; export none; };
}
protocol bgp pop6 {
    local 2001:db8:b::1 as 64501;
    neighbor 2001:db8:b::2 as 64500;
    hold time 9;
    ipv6 { import all; export none; };
}
CONF
    bgp_pids+=("$(bird_start "$1" "$work/router.conf" "$work/router.ctl" "$work/router.pid")")
}

# bird_start NS CONF SOCKET PIDFILE: starts BIRD in NS and prints its pid. BIRD writes the pid
# file in its daemon child, after the command has returned, so wait for it (a stale or empty pid
# made stop_process miss the daemon, which then kept its routes: seen once under CI load).
bird_start() {
    rm -f "$4"
    ip netns exec "$1" bird -c "$2" -s "$3" -P "$4" || return 1
    local _
    for _ in $(seq 50); do
        [ -s "$4" ] && kill -0 "$(cat "$4")" 2>/dev/null && { cat "$4"; return 0; }
        sleep 0.1
    done
    return 1
}

route_all() { birdc -s "$work/router.ctl" show route 203.0.113.0/24 all; }
route6_all() { birdc -s "$work/router.ctl" show route 2001:db8:ffff::/48 all; }
has_route6() { route6_all | grep -q '2001:db8:ffff::/48'; }
no_route6() { ! has_route6; }
has_route() { route_all | grep -q '203.0.113.0/24'; }
no_route() { ! has_route; }
drained_route() { route_all | grep -q '(65535,0)'; }

# bgp_speaker_start SIDECAR NS: the sidecar daemon in NS; sets bgp_sidecar_keys (the [bgp]
# keys that point ringcastd at it) and bgp_speaker_pid.
bgp_speaker_start() {
    local sidecar=$1 ns=$2
    case "$sidecar" in
    bird)
        [ -e "$work/ringcast-bird.conf" ] || : >"$work/ringcast-bird.conf" # kept across restarts
        cat >"$work/speaker.conf" <<CONF
router id 198.51.100.2;
protocol device {}
include "$work/ringcast-bird.conf";
protocol bgp upstream {
    local 198.51.100.2 as 64500;
    neighbor 198.51.100.1 as 64501;
    hold time 9;
    ipv4 { import none; export where proto = "ringcast4"; };
}
protocol bgp upstream6 {
    local 2001:db8:b::2 as 64500;
    neighbor 2001:db8:b::1 as 64501;
    hold time 9;
    ipv6 { import none; export where proto = "ringcast6"; };
}
CONF
        bgp_speaker_pid=$(bird_start "$ns" "$work/speaker.conf" "$work/speaker.ctl" "$work/speaker.pid")
        bgp_sidecar_keys="bird_socket = \"$work/speaker.ctl\"
include_file = \"$work/ringcast-bird.conf\"
protocol = \"upstream\""
        ;;
    exabgp)
        # ExaBGP looks for its pipes in fixed places (/run/ among them): a per-test name.
        local pipe=rcbgp$$
        [ -p "/run/$pipe.in" ] || mkfifo -m 0600 "/run/$pipe.in" "/run/$pipe.out"
        bgp_fifos+=("/run/$pipe.in" "/run/$pipe.out")
        cat >"$work/exabgp.conf" <<CONF
neighbor 198.51.100.1 {
    router-id 198.51.100.2;
    local-address 198.51.100.2;
    local-as 64500;
    peer-as 64501;
    hold-time 9;
    family { ipv4 unicast; }
}
neighbor 2001:db8:b::1 {
    router-id 198.51.100.2;
    local-address 2001:db8:b::2;
    local-as 64500;
    peer-as 64501;
    hold-time 9;
    family { ipv6 unicast; }
}
CONF
        ip netns exec "$ns" env exabgp.api.pipename="$pipe" exabgp.api.ack=true \
            exabgp.daemon.user=root exabgp.log.destination="$work/exabgp.log" \
            exabgp "$work/exabgp.conf" >"$work/exabgp.out" 2>&1 &
        bgp_speaker_pid=$!
        bgp_sidecar_keys="exabgp_pipe_in = \"/run/$pipe.in\"
exabgp_pipe_out = \"/run/$pipe.out\"
protocol = \"198.51.100.1\""
        ;;
    gobgp)
        cat >"$work/gobgpd.toml" <<CONF
[global.config]
  as = 64500
  router-id = "198.51.100.2"
  port = 179
  local-address-list = ["198.51.100.2", "2001:db8:b::2"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "198.51.100.1"
    peer-as = 64501
  [neighbors.timers.config]
    hold-time = 9
[[neighbors]]
  [neighbors.config]
    neighbor-address = "2001:db8:b::1"
    peer-as = 64501
  [neighbors.timers.config]
    hold-time = 9
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-unicast"
CONF
        ip netns exec "$ns" gobgpd -f "$work/gobgpd.toml" --api-hosts 127.0.0.1:50051 \
            >"$work/gobgpd.log" 2>&1 &
        bgp_speaker_pid=$!
        bgp_sidecar_keys="gobgp_api = \"127.0.0.1:50051\"
protocol = \"198.51.100.1\""
        ;;
    *) echo "unknown sidecar $sidecar" >&2; return 1 ;;
    esac
    bgp_pids+=("$bgp_speaker_pid")
}
