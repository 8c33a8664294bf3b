#!/usr/bin/env bash
# ringcast answers like the reference servers: the differential corpus
# (tests/differential/corpus.py, ~1000 queries) is sent to a ringcast PoP and to a peer serving
# the same zone files (tests/data/zones/differential/), Knot DNS or NSD, and the responses are
# compared section by section by tests/differential/compare.py. Any difference not in the
# RFC-justified allowlist for that peer (tests/differential/allowed.py) fails. The corpus runs
# once over each transport given (tests/differential/transports.py): udp, tcp-pipelined (16
# queries on one connection, RFC 7766 §6.2.1.1), tcp-single (one query per connection); over
# TCP the answers cut short over UDP come whole, through the dataplane's own TCP.
#
#   <prefix>-client  cli0 ── srv0  <prefix>-pop   ringcastd + dataplane (203.0.113.53, 2001:db8:ffff::53)
#                    prc0 ── pr0   <prefix>-peer  knotd or nsd (198.51.100.53, 2001:db8:eeee::53)
# example.net., nsec3.example. and optout.example. are presigned (NSEC, NSEC3, NSEC3 with opt-out:
# tests/data/zones/differential/sign.sh) for the DNSSEC queries.
# Documentation addresses only; nothing leaves the three namespaces.
#
#   differential_test.sh knot|nsd [TRANSPORT...]   (default: udp)
mode=af_xdp
peer=${1:?usage: differential_test.sh knot|nsd [udp|tcp-pipelined|tcp-single...]}
shift
transports=("${@:-udp}")
. "$(dirname "$0")/lib/harness.sh"

PEER_V4=198.51.100.53
PEER_V6=2001:db8:eeee::53
ZONES=$RINGCAST_SOURCE_DIR/tests/data/zones/differential
POP_NAME=pop-diff
# Debian's python3 has dnspython; a python3 earlier on PATH (pyenv) may not.
PYTHON=/usr/bin/python3
peer_pid=

stop_peer() {
    stop_process "$peer_pid"
    ip netns del "$prefix-peer" 2>/dev/null || true
}
trap 'stop_peer; cleanup' EXIT

case "$peer" in
    knot) tools=(knotd kzonecheck) packages="knot, knot-dnssecutils" ;;
    nsd) tools=(nsd nsd-checkzone) packages="nsd" ;;
    *) fail "peer is knot or nsd, not '$peer'"; finish; exit 1 ;;
esac
for tool in "${tools[@]}"; do
    if ! command -v "$tool" >/dev/null; then
        fail "$tool is installed (scripts/packages.txt: $packages)"
        finish
        exit 1
    fi
done
if ! "$PYTHON" -c 'import dns.message' 2>/dev/null; then
    fail "$PYTHON has dnspython (scripts/packages.txt: python3-dnspython)"
    finish
    exit 1
fi

zones=(example.com. sub.example.com. example.org. example.net. nsec3.example. optout.example.)

# 1. Both checkers accept the zones.
for origin in "${zones[@]}"; do
    file=$ZONES/${origin%.}.zone
    out=$("$RINGCASTCTL" check-zone "$file" "$origin" 2>&1)
    expect_status "ringcastctl check-zone $origin" 0 $? "$out"
    case "$peer" in
        knot) out=$(kzonecheck -o "$origin" "$file" 2>&1) ;;
        nsd) out=$(nsd-checkzone "$origin" "$file" 2>&1) ;;
    esac
    expect_status "${tools[1]} $origin" 0 $? "$out"
done

# 2. Topology: the PoP pair from pop-netns.sh plus a peer namespace on a second client veth.
pop_netns_create "$prefix"
ip netns add "$prefix-peer"
ip link add prc0 netns "$prefix-client" type veth peer name pr0 netns "$prefix-peer"
ip -n "$prefix-peer" link set lo up
ip -n "$prefix-peer" link set pr0 up
ip -n "$prefix-peer" addr add "$PEER_V4/24" dev pr0
ip -n "$prefix-peer" addr add "$PEER_V6/64" dev pr0 nodad
ip -n "$prefix-client" link set prc0 up
ip -n "$prefix-client" addr add 198.51.100.10/24 dev prc0
ip -n "$prefix-client" addr add 2001:db8:eeee::10/64 dev prc0 nodad

# 3. The peer on the same files, identity and NSID equal to the PoP name so that CHAOS and
# NSID compare, and the same EDNS payload size as the PoP's default.
write_knot_config() {
    mkdir -p "$work/knot/db"
    cat <<CONF
server:
    rundir: "$work/knot"
    pidfile: "$work/knot/knot.pid"
    listen: [ $PEER_V4@53, $PEER_V6@53 ]
    identity: "$POP_NAME"
    nsid: "$POP_NAME"
    udp-max-payload: 1232
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "$work/knot/db"
log:
  - target: stderr
    any: warning
template:
  - id: default
    storage: "$ZONES"
    file: "%s.zone"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: on
zone:
CONF
    for origin in "${zones[@]}"; do printf '  - domain: %s\n    file: "%s.zone"\n' "$origin" "${origin%.}"; done
}

write_nsd_config() {
    mkdir -p "$work/nsd"
    cat <<CONF
server:
    ip-address: $PEER_V4
    ip-address: $PEER_V6
    port: 53
    server-count: 1
    username: ""
    chroot: ""
    zonesdir: "$ZONES"
    database: ""
    zonelistfile: "$work/nsd/zone.list"
    xfrdfile: "$work/nsd/xfrd.state"
    xfrdir: "$work/nsd"
    pidfile: "$work/nsd/nsd.pid"
    logfile: "$work/nsd/nsd.log"
    identity: "$POP_NAME"
    nsid: "ascii_$POP_NAME"
    ipv4-edns-size: 1232
    ipv6-edns-size: 1232
    verbosity: 1
remote-control:
    control-enable: no
CONF
    for origin in "${zones[@]}"; do printf 'zone:\n    name: %s\n    zonefile: "%s.zone"\n' "$origin" "${origin%.}"; done
}

case "$peer" in
    knot)
        write_knot_config >"$work/peer.conf"
        ip netns exec "$prefix-peer" knotd -c "$work/peer.conf" >"$work/peer.log" 2>&1 </dev/null &
        ;;
    nsd)
        write_nsd_config >"$work/peer.conf"
        ip netns exec "$prefix-peer" nsd -d -c "$work/peer.conf" >"$work/peer.log" 2>&1 </dev/null &
        ;;
esac
peer_pid=$!

# 4. The PoP on the same zones.
write_config "$POP_NAME" "$mode" \
    example.com. "$ZONES/example.com.zone" \
    sub.example.com. "$ZONES/sub.example.com.zone" \
    example.org. "$ZONES/example.org.zone" \
    example.net. "$ZONES/example.net.zone" \
    nsec3.example. "$ZONES/nsec3.example.zone" \
    optout.example. "$ZONES/optout.example.zone"
start_pop

peer_up=
for _ in $(seq 40); do
    if pop_client "$prefix" dig +time=1 +tries=1 +short @"$PEER_V4" example.org SOA 2>/dev/null | grep -q .; then
        peer_up=1
        break
    fi
    sleep 0.25
done
if [ -n "$peer_up" ]; then pass "$peer answers"; else fail "$peer answers" "$(cat "$work/peer.log" "$work/nsd/nsd.log" 2>/dev/null)"; finish; exit 1; fi

# 5. The corpus, compared over each transport.
for transport in "${transports[@]}"; do
    started=$SECONDS
    out=$(pop_client "$prefix" "$PYTHON" "$RINGCAST_SOURCE_DIR/tests/differential/compare.py" \
        --ringcast "$POP_VIP_V4" "$POP_VIP_V6" --peer "$peer" "$PEER_V4" "$PEER_V6" \
        --transport "$transport" 2>&1)
    status=$?
    printf '%s\n' "$out"
    echo "($transport: $((SECONDS - started)) s)"
    expect_status "ringcast and $peer agree on the differential corpus over $transport (or differ as allowed)" \
        0 $status "$(printf '%s\n' "$out" | tail -5)"
done
finish
