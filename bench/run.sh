#!/usr/bin/env bash
# Entry point of the benchmarks: installs what they need, builds (release, in build-bench/) and
# runs one or all of them, printing results. Benchmarks, not tests: nothing here passes or fails
# on a figure. Run one heavy benchmark at a time on a quiet machine.
# Usage (as root): bench/run.sh [micro|lookup|zones|side-by-side|dnssec|http-micro|http|dns-tcp|all]
# (default: all)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
rcb_require_root "$@"
rcb_install_packages

case "${1:-all}" in
    micro) "$here/micro/run_micro.sh" ;;
    lookup) "$here/micro/run_lookup_scaling.sh" ;;
    zones) "$here/zone_scaling.sh" ;;
    side-by-side) "$here/dns_side_by_side.sh" ;;
    # HTTP/1.1 on the dataplane's TCP: the per-request path without a kernel, then ringcast vs
    # nginx (wrk) on a veth.
    http-micro) "$here/micro/run_http_micro.sh" ;;
    http) "$here/http_side_by_side.sh" ;;
    # DNS over the dataplane's TCP vs Knot XDP's TCP (kxdpgun -T) and Knot on sockets
    # (dnsperf -m tcp) on a veth.
    dns-tcp) "$here/dns_tcp_side_by_side.sh" ;;
    # DNSSEC answers: the micro-benchmark and the side-by-side run on an NSEC3-signed zone, DO=1.
    dnssec)
        "$here/micro/run_micro_dnssec.sh"
        RCB_SBS_DNSSEC=1 "$here/dns_side_by_side.sh"
        ;;
    all)
        "$here/micro/run_micro.sh"
        "$here/micro/run_lookup_scaling.sh"
        "$here/zone_scaling.sh"
        "$here/dns_side_by_side.sh"
        "$here/micro/run_micro_dnssec.sh"
        RCB_SBS_DNSSEC=1 "$here/dns_side_by_side.sh"
        "$here/micro/run_http_micro.sh"
        "$here/http_side_by_side.sh"
        "$here/dns_tcp_side_by_side.sh"
        ;;
    *) echo "usage: $0 [micro|lookup|zones|side-by-side|dnssec|http-micro|http|dns-tcp|all]" >&2; exit 2 ;;
esac
