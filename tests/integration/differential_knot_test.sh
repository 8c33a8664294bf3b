#!/usr/bin/env bash
# ringcast answers like Knot DNS: the differential corpus (tests/differential/corpus.py, ~500
# queries) is sent over UDP to a ringcast PoP and to knotd serving the same zone files
# (tests/data/zones/differential/), and the responses are compared section by section by
# tests/differential/compare.py. Any difference not in compare.py's RFC-justified allowlist fails.
#
#   <prefix>-client  cli0 ── srv0  <prefix>-pop   ringcastd + dataplane (203.0.113.53, 2001:db8:ffff::53)
#                    knc0 ── kn0   <prefix>-knot  knotd (198.51.100.53, 2001:db8:eeee::53)
# Documentation addresses only; nothing leaves the three namespaces.
mode=af_xdp
. "$(dirname "$0")/lib/harness.sh"

KNOT_V4=198.51.100.53
KNOT_V6=2001:db8:eeee::53
ZONES=$RINGCAST_SOURCE_DIR/tests/data/zones/differential
POP_NAME=pop-diff
# Debian's python3 has dnspython; a python3 earlier on PATH (pyenv) may not.
PYTHON=/usr/bin/python3
knot_pid=

stop_knot() {
    if [ -n "$knot_pid" ] && kill -0 "$knot_pid" 2>/dev/null; then
        kill "$knot_pid" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$knot_pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$knot_pid" 2>/dev/null
    fi
    ip netns del "$prefix-knot" 2>/dev/null || true
}
trap 'stop_knot; cleanup' EXIT

for tool in knotd kzonecheck; do
    if ! command -v "$tool" >/dev/null; then
        fail "$tool is installed (scripts/packages.txt: knot, knot-dnssecutils)"
        finish
        exit 1
    fi
done
if ! "$PYTHON" -c 'import dns.message' 2>/dev/null; then
    fail "$PYTHON has dnspython (scripts/packages.txt: python3-dnspython)"
    finish
    exit 1
fi

zones=(example.com. sub.example.com. example.org.)

# 1. Both checkers accept the zones.
for origin in "${zones[@]}"; do
    file=$ZONES/${origin%.}.zone
    out=$("$RINGCASTCTL" check-zone "$file" "$origin" 2>&1)
    expect_status "ringcastctl check-zone $origin" 0 $? "$out"
    out=$(kzonecheck -o "$origin" "$file" 2>&1)
    expect_status "kzonecheck $origin" 0 $? "$out"
done

# 2. Topology: the PoP pair from pop-netns.sh plus a Knot namespace on a second client veth.
pop_netns_create "$prefix"
ip netns add "$prefix-knot"
ip link add knc0 netns "$prefix-client" type veth peer name kn0 netns "$prefix-knot"
ip -n "$prefix-knot" link set lo up
ip -n "$prefix-knot" link set kn0 up
ip -n "$prefix-knot" addr add "$KNOT_V4/24" dev kn0
ip -n "$prefix-knot" addr add "$KNOT_V6/64" dev kn0 nodad
ip -n "$prefix-client" link set knc0 up
ip -n "$prefix-client" addr add 198.51.100.10/24 dev knc0
ip -n "$prefix-client" addr add 2001:db8:eeee::10/64 dev knc0 nodad

# 3. knotd on the same files, identity and NSID equal to the PoP name so CHAOS and NSID compare.
mkdir -p "$work/knot/db"
{
    cat <<CONF
server:
    rundir: "$work/knot"
    pidfile: "$work/knot/knot.pid"
    listen: [ $KNOT_V4@53, $KNOT_V6@53 ]
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
} >"$work/knot.conf"
ip netns exec "$prefix-knot" knotd -c "$work/knot.conf" >"$work/knotd.log" 2>&1 </dev/null &
knot_pid=$!

# 4. The PoP on the same zones.
write_config "$POP_NAME" "$mode" \
    example.com. "$ZONES/example.com.zone" \
    sub.example.com. "$ZONES/sub.example.com.zone" \
    example.org. "$ZONES/example.org.zone"
start_pop

knot_up=
for _ in $(seq 40); do
    if pop_client "$prefix" dig +time=1 +tries=1 +short @"$KNOT_V4" example.org SOA 2>/dev/null | grep -q .; then
        knot_up=1
        break
    fi
    sleep 0.25
done
if [ -n "$knot_up" ]; then pass "knotd answers"; else fail "knotd answers" "$(cat "$work/knotd.log")"; finish; exit 1; fi

# 5. The corpus, compared.
out=$(pop_client "$prefix" "$PYTHON" "$RINGCAST_SOURCE_DIR/tests/differential/compare.py" \
    --ringcast "$POP_VIP_V4" "$POP_VIP_V6" --knot "$KNOT_V4" "$KNOT_V6" 2>&1)
status=$?
printf '%s\n' "$out"
expect_status "ringcast and Knot agree on the differential corpus (or differ as allowed)" 0 $status \
    "$(printf '%s\n' "$out" | tail -5)"
finish
