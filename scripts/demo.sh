#!/usr/bin/env bash
# Runs a demo PoP: installs what is missing, builds, starts ringcastd (and its DPDK dataplane on
# AF_XDP) in network namespaces with scripts/demo.toml, and shows dig answers (UDP and TCP) and curl fetching the demo site from a client.
#
#   scripts/demo.sh          start (or restart) the demo and query it   (as root)
#   scripts/demo.sh stop     stop it and remove the namespaces
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib/pop-netns.sh
. scripts/lib/require-root.sh
prefix=rcdemo
run_dir=$root/.run/demo
pidfile=$run_dir/ringcastd.pid

stop() {
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        kill "$(cat "$pidfile")"
        for _ in $(seq 50); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.2; done
    fi
    rm -f "$pidfile"
    pop_netns_destroy "$prefix"
}

require_root demo "network namespaces and AF_XDP need root" "$0" "$@"

if [ "${1:-start}" = stop ]; then
    stop
    echo "demo stopped"
    exit 0
fi

scripts/setup.sh
stop
mkdir -p "$run_dir"
pop_netns_create "$prefix"
ip netns exec "$prefix-pop" setsid build/controlplane/ringcastd/ringcastd --config scripts/demo.toml \
    >"$run_dir/ringcastd.log" 2>&1 < /dev/null &
echo $! >"$pidfile"

if ! pop_wait_answering "$prefix" 30; then
    echo "demo: the PoP did not answer within 30 s; its log:" >&2
    cat "$run_dir/ringcastd.log" >&2
    stop
    exit 1
fi

show() { echo; echo "\$ $*"; pop_client "$prefix" "$@"; }
echo
echo "Demo PoP 'pop-demo' is answering on $POP_VIP_V4 and $POP_VIP_V6 (namespace $prefix-pop)."
show dig +norec @"$POP_VIP_V4" www.example.net A
show dig +norec +nsid @"$POP_VIP_V6" www.example.net AAAA
show dig +norec @"$POP_VIP_V4" nope.example.net A
show dig +tcp +norec @"$POP_VIP_V4" www.example.net A
show kdig +tcp @"$POP_VIP_V6" example.net MX
show dig +short @"$POP_VIP_V4" id.server CH TXT
show curl -sS -i --resolve "www.example.net:80:$POP_VIP_V4" http://www.example.net/
show curl -sS -I --compressed "http://[$POP_VIP_V6]/style.css"
show ping -c 2 -W 1 "$POP_VIP_V4"
show ping -6 -c 2 -W 1 "$POP_VIP_V6"
cat <<MSG

Try more from the client namespace (as root), e.g.:
  ip netns exec $prefix-client dig @$POP_VIP_V4 example.net MX
  ip netns exec $prefix-client kdig @$POP_VIP_V6 example.net SOA
Operate it:
  build/controlplane/ringcastctl/ringcastctl --config scripts/demo.toml status
  build/controlplane/ringcastctl/ringcastctl --config scripts/demo.toml stats
  (edit zones/example.net.zone, then) build/controlplane/ringcastctl/ringcastctl --config scripts/demo.toml reload
Logs: $run_dir/ringcastd.log   Counters: $run_dir/stats
Stop: scripts/demo.sh stop
MSG
