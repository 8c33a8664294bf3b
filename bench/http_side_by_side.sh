#!/usr/bin/env bash
# HTTP/1.1 side by side on one veth pair (scripts/lib/pop-netns.sh), the server pinned to one
# cpu and the load generator to the other: ringcast (ringcastd + dataplane on net_af_xdp, one
# lcore) vs nginx (one worker, sendfile on, access_log off) serving the same files; wrk from the
# client namespace: keep-alive on a 1 KiB and a 100 KiB object, and a new connection per request
# (`Connection: close`) on the 1 KiB object. (DNS over TCP: bench/dns_tcp_side_by_side.sh.)
# The table gives requests per second, ratio to nginx under the same load, and the CPU each side
# used over the run (bench/lib/cpu.sh), so it says which side saturated. ringcast's lcore polls:
# it shows ~100 % busy whatever the load, so its figure says little; the load generator's says
# whether it was the bottleneck.
#
# Usage (as root): bench/http_side_by_side.sh
# Environment: RCB_HTTP_SYSTEMS (default "ringcast nginx"), RCB_HTTP_DURATION_S,
#              RCB_HTTP_CONNECTIONS,
#              RCB_IDLE_SLEEP_US (ringcast's [dataplane] idle_sleep_us, default 0).
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/cpu.sh"
. "$(dirname "$0")/lib/knot.sh"
. "$RCB_ROOT/scripts/lib/pop-netns.sh"
rcb_require_root "$@"

HTTP_SYSTEMS=(${RCB_HTTP_SYSTEMS:-ringcast nginx})
HTTP_DURATION_S=${RCB_HTTP_DURATION_S:-5} # wrk -d: bounded by wrk itself
HTTP_CONNECTIONS=${RCB_HTTP_CONNECTIONS:-50} # wrk -c, as ENVIRONMENT.md's nginx figure
HTTP_TIMEOUT_S=2         # wrk --timeout: a request slower than this counts as an error
LOAD_TIMEOUT_S=60        # hard stop for a load tool that does not stop by itself
SETTLE_S=1
START_TIMEOUT_S=60       # waiting for a server to answer HTTP
HOST=www.example.net
SIZE=1k                  # the DNS zone (bench/gen_zone.py) ringcast loads beside the site
OBJECTS=(1k:1024 100k:102400)

rcb_build "${RCB_POP_TARGETS[@]}"
. "$(dirname "$0")/lib/servers.sh"
servers_init rch http-side-by-side

# The site both serve: random bytes (no compressed sibling, so both send the identity body).
site=$work/site
mkdir -p "$site/www"
for object in "${OBJECTS[@]}"; do
    head -c "${object#*:}" /dev/urandom >"$site/www/${object%%:*}.bin"
done
echo '<p>bench</p>' >"$site/www/index.html"
chmod -R a+rX "$site" # nginx's worker runs as nobody
zone=$(rcb_zone "$SIZE")
zonefile=$zone/${RCB_ORIGIN}zone

export RCB_RINGCAST_EXTRA_TOML="[[site]]
hosts = [\"$HOST\"]
root = \"$site/www\"
cache_control = \"public, max-age=3600\""

pop_netns_create "$prefix"
results=$work/results.tsv
: >"$results"

# record TOPIC SYSTEM LOAD RATE ERRORS SERVER_CPU_PCT LOADGEN_CPU_PCT SERVER_CORE_PCT LOADGEN_CORE_PCT
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$results"; }

http_wait() {
    local deadline=$((SECONDS + START_TIMEOUT_S))
    while [ $SECONDS -lt $deadline ]; do
        if pop_client "$prefix" curl -sf -o /dev/null --max-time 1 -H "Host: $HOST" \
            "http://$POP_VIP_V4/index.html"; then
            return 0
        fi
        sleep 0.5
    done
    return 1
}

server_start_nginx() {
    local dir=$work/nginx
    server_add_kernel_vip
    rm -rf "$dir"
    mkdir -p "$dir/tmp"
    cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
worker_cpu_affinity auto;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    # wrk keeps its connections for the whole run: nginx's default (1000 requests) would
    # close each after 1000 and measure reconnects too.
    keepalive_requests 100000000;
    keepalive_timeout 60s;
    default_type application/octet-stream;
    client_body_temp_path $dir/tmp;
    proxy_temp_path $dir/tmp;
    fastcgi_temp_path $dir/tmp;
    uwsgi_temp_path $dir/tmp;
    scgi_temp_path $dir/tmp;
    server {
        listen $POP_VIP_V4:80;
        server_name $HOST;
        root $site/www;
    }
}
CONF
    ip netns exec "$prefix-pop" taskset -c "$RCB_SERVER_CPU" nginx -c "$dir/nginx.conf" \
        >"$dir/nginx.stdout" 2>&1 </dev/null &
    server_pid=$!
}

run_wrk() { # SYSTEM NAME PATH [wrk args...]
    local system=$1 name=$2 path=$3
    shift 3
    local log=$work/$system.wrk.$name.log cpu
    cpu=$(rcb_measured "$log" "$server_pid" ip netns exec "$prefix-client" timeout "$LOAD_TIMEOUT_S" \
        taskset -c "$RCB_LOADGEN_CPU" wrk -t1 -c"$HTTP_CONNECTIONS" -d"${HTTP_DURATION_S}s" \
        --timeout "${HTTP_TIMEOUT_S}s" -H "Host: $HOST" "$@" "http://$POP_VIP_V4$path")
    local rps errors
    rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$log")
    # "Non-2xx or 3xx responses: N" and "Socket errors: connect A, read B, write C, timeout D"
    errors=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
        END { print n + 0 }' "$log")
    record http "$system" "$name" "${rps:--}" "$errors" ${cpu}
}

servers_ready() { http_wait; }
bench_system() { # SYSTEM
    local object name
    for object in "${OBJECTS[@]}"; do
        name=${object%%:*}
        rcb_log "$1: wrk keep-alive on $name for ${HTTP_DURATION_S}s"
        run_wrk "$1" "keepalive-$name" "/$name.bin"
        sleep "$SETTLE_S"
    done
    rcb_log "$1: wrk, a new connection per request, for ${HTTP_DURATION_S}s"
    run_wrk "$1" "close-1k" "/1k.bin" -H "Connection: close"
}
servers_each bench_system "$zonefile" "${HTTP_SYSTEMS[@]}"

rcb_header "HTTP side by side; server cpu $RCB_SERVER_CPU, load generator cpu $RCB_LOADGEN_CPU"
printf '%-8s %-10s %-22s %10s %14s %8s %9s %9s %10s %8s\n' topic system load rate errors srv_cpu% load_cpu% srv_core% load_core% xpeer
while IFS=$'\t' read -r topic system load rate errors scpu lcpu score lcore; do
    base=$(awk -F'\t' -v t="$topic" -v s=nginx -v l="$load" '$1 == t && $2 == s && $3 == l { print $4; exit }' "$results")
    printf '%-8s %-10s %-22s %10s %14s %8s %9s %9s %10s %8s\n' "$topic" "$system" "$load" "$rate" \
        "$errors" "$scpu" "$lcpu" "$score" "$lcore" "$(rcb_ratio "$rate" "$base")"
done <"$results"
echo "   wrk: -t1 -c$HTTP_CONNECTIONS -d${HTTP_DURATION_S}s --timeout ${HTTP_TIMEOUT_S}s -H 'Host: $HOST' (close-1k adds -H 'Connection: close'); rate in requests/s"
echo "   cpu: % of one core over the run, server process tree (/proc) and load tool (its rusage); ringcast's lcore polls (100 % busy whatever the load)"
echo "   core: how busy the server's and the load generator's core were (/proc/stat, softirq included): the one near 100 % saturated"
servers_print_counters
echo "   raw logs and results.tsv in $work"
