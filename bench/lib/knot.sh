# knotd configurations for the benchmarks: one zone, one UDP worker, pinned by the caller.
# Source after common.sh.

# knot_write_config DIR ZONEFILE LISTEN_ADDR [XDP_IFACE]: writes DIR/knot.conf. With XDP_IFACE,
# UDP on port 53 of that interface is answered by Knot's XDP workers (knot.conf(5), "xdp"
# section); the socket listener stays for TCP and for anything the XDP program passes. With
# RCB_KNOT_XDP_TCP=on the XDP workers answer DNS over TCP as well (Knot's own TCP stack in XDP).
knot_write_config() {
    local dir=$1 zonefile=$2 listen=$3 xdp_iface=${4:-}
    mkdir -p "$dir/run" "$dir/db"
    cat >"$dir/knot.conf" <<CONF
server:
    rundir: "$dir/run"
    listen: $listen@53
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
CONF
    if [ -n "$xdp_iface" ]; then
        cat >>"$dir/knot.conf" <<CONF
xdp:
    listen: $xdp_iface@53
    udp: on
    tcp: ${RCB_KNOT_XDP_TCP:-off}
    route-check: off
CONF
    fi
    cat >>"$dir/knot.conf" <<CONF
database:
    storage: "$dir/db"
log:
  - target: stderr
    any: warning
template:
  - id: default
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: off
zone:
  - domain: $RCB_ORIGIN
    file: "$zonefile"
CONF
}
