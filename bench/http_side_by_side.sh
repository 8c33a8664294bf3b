#!/usr/bin/env bash
# HTTP/1.1 and DNS over TCP side by side on one veth pair (scripts/lib/pop-netns.sh), the server
# pinned to one cpu and the load generator to the other:
#   - HTTP: ringcast (ringcastd + dataplane on net_af_xdp, one lcore) vs nginx (one worker,
#     sendfile on, access_log off) serving the same files; wrk from the client namespace:
#     keep-alive on a 1 KiB and a 100 KiB object, and a new connection per request
#     (`Connection: close`) on the 1 KiB object;
#   - DNS over TCP: ringcast vs Knot in XDP mode (its XDP TCP on), by kxdpgun -T (TCP from XDP on
#     the client) and by dnsperf -m tcp (the client kernel's TCP).
# The table gives requests (or answers) per second, ratio to the peer under the same load, and
# the CPU each side used over the run (utime + stime from /proc/PID/stat, server process tree and
# load generator), so it says which side saturated. ringcast's lcore polls: it shows ~100 % busy
# whatever the load, so its figure says little; the load generator's says whether it was the
# bottleneck.
#
# Usage (as root): bench/http_side_by_side.sh
# Environment: RCB_HTTP_SYSTEMS (default "ringcast nginx"), RCB_DNS_TCP_SYSTEMS (default
#              "ringcast knot_xdp"), RCB_HTTP_DURATION_S, RCB_HTTP_CONNECTIONS,
#              RCB_IDLE_SLEEP_US (ringcast's [dataplane] idle_sleep_us, default 0).
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/knot.sh"
. "$RCB_ROOT/scripts/lib/pop-netns.sh"
rcb_require_root "$@"

HTTP_SYSTEMS=(${RCB_HTTP_SYSTEMS:-ringcast nginx})
DNS_TCP_SYSTEMS=(${RCB_DNS_TCP_SYSTEMS:-ringcast knot_xdp})
HTTP_DURATION_S=${RCB_HTTP_DURATION_S:-5} # wrk -d: bounded by wrk itself
HTTP_CONNECTIONS=${RCB_HTTP_CONNECTIONS:-50} # wrk -c, as ENVIRONMENT.md's nginx figure
HTTP_TIMEOUT_S=2         # wrk --timeout: a request slower than this counts as an error
KXDPGUN_DURATION_S=5     # kxdpgun -t
KXDPGUN_RATE=100000      # kxdpgun -Q: offered queries per second over TCP
DNSPERF_DURATION_S=5     # dnsperf -l
DNSPERF_CLIENTS=4        # -c: TCP connections
DNSPERF_OUTSTANDING=100  # -q: queries in flight
LOAD_TIMEOUT_S=60        # hard stop for a load tool that does not stop by itself
SETTLE_S=1
START_TIMEOUT_S=60       # waiting for a server to answer HTTP
HOST=www.example.net
SIZE=1k                  # the DNS zone (bench/gen_zone.py) both servers load
OBJECTS=(1k:1024 100k:102400)

rcb_build controlplane/ringcastd/ringcastd dataplane/runtime/ringcast-dataplane
prefix=rch$$
work=$RCB_SCRATCH/http-side-by-side
rm -rf "$work"
mkdir -p "$work"
. "$(dirname "$0")/lib/servers.sh"
cleanup() {
    server_stop
    pop_netns_destroy "$prefix"
}
trap cleanup EXIT

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
queries=$zone/queries.txt

export RCB_RINGCAST_EXTRA_TOML="[[site]]
hosts = [\"$HOST\"]
root = \"$site/www\"
cache_control = \"public, max-age=3600\""

pop_netns_create "$prefix"
server_mac=$(ip -n "$prefix-pop" link show srv0 | awk '/link\/ether/ { print $2 }')
results=$work/results.tsv
: >"$results"

# record TOPIC SYSTEM LOAD RATE ERRORS SERVER_CPU_PCT LOADGEN_CPU_PCT
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$results"; }

# tree_ticks PID: utime + stime (clock ticks) of PID and every descendant (ringcastd's dataplane
# child, nginx's worker).
tree_ticks() {
    local pid=$1 total=0 child
    [ -r "/proc/$pid/stat" ] || { echo 0; return; }
    # Fields after the command name (which may hold spaces): utime is the 14th field overall.
    total=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
        total=$((total + $(tree_ticks "$child")))
    done
    echo "$total"
}

# cpu_pct TICKS_BEFORE TICKS_AFTER SECONDS: percent of one core.
cpu_pct() { awk -v a="$1" -v b="$2" -v s="$3" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (b - a) * 100 / hz / s }'; }

# measured SERVER_PID CMD...: runs the load CMD (in the background, so its own CPU is read from
# /proc) and prints "SERVER_CPU LOADGEN_CPU" over its run; its output goes to $log.
measured() {
    local spid=$1 s0 s1 l1 t0 t1 lpid
    shift
    s0=$(tree_ticks "$spid")
    t0=$(date +%s.%N)
    "$@" >"$log" 2>&1 &
    lpid=$!
    # The load tool's last ticks, read just before it exits: poll while it runs.
    l1=0
    while kill -0 "$lpid" 2>/dev/null; do
        l1=$(tree_ticks "$lpid")
        sleep 0.2
    done
    wait "$lpid" || rcb_log "load exited non-zero: see $log"
    t1=$(date +%s.%N)
    s1=$(tree_ticks "$spid")
    local secs
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
    echo "$(cpu_pct "$s0" "$s1" "$secs") $(cpu_pct 0 "$l1" "$secs")"
}

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
    log=$work/$system.wrk.$name.log
    local cpu
    cpu=$(measured "$server_pid" ip netns exec "$prefix-client" timeout "$LOAD_TIMEOUT_S" \
        taskset -c "$RCB_LOADGEN_CPU" wrk -t1 -c"$HTTP_CONNECTIONS" -d"${HTTP_DURATION_S}s" \
        --timeout "${HTTP_TIMEOUT_S}s" -H "Host: $HOST" "$@" "http://$POP_VIP_V4$path")
    local rps errors
    rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$log")
    # "Non-2xx or 3xx responses: N" and "Socket errors: connect A, read B, write C, timeout D"
    errors=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
        END { print n + 0 }' "$log")
    record http "$system" "$name" "${rps:--}" "$errors" ${cpu}
}

for system in "${HTTP_SYSTEMS[@]}"; do
    rcb_log "$system: starting on cpu $RCB_SERVER_CPU"
    "server_start_$system" "$zonefile" || true
    if [ -z "$server_pid" ] || ! http_wait; then
        rcb_log "$system did not answer HTTP: skipped (logs in $work/)"
        server_stop
        continue
    fi
    for object in "${OBJECTS[@]}"; do
        name=${object%%:*}
        rcb_log "$system: wrk keep-alive on $name for ${HTTP_DURATION_S}s"
        run_wrk "$system" "keepalive-$name" "/$name.bin"
        sleep "$SETTLE_S"
    done
    rcb_log "$system: wrk, a new connection per request, for ${HTTP_DURATION_S}s"
    run_wrk "$system" "close-1k" "/1k.bin" -H "Connection: close"
    if [ "$system" = ringcast ]; then
        awk '$2 != 0 && $1 !~ /^dns_rcode_/' "$work/ringcast/run/stats" >"$work/ringcast.http.counters" 2>/dev/null || true
    fi
    server_stop
    sleep "$SETTLE_S"
done

# DNS over TCP: kxdpgun -T (XDP on cli0) and dnsperf -m tcp.
run_dns_tcp() { # SYSTEM
    local system=$1 cpu sent answered pct qps
    log=$work/$system.kxdpgun-tcp.log
    cpu=$(measured "$server_pid" ip netns exec "$prefix-client" timeout "$LOAD_TIMEOUT_S" \
        taskset -c "$RCB_LOADGEN_CPU" kxdpgun -T -t "$KXDPGUN_DURATION_S" -Q "$KXDPGUN_RATE" \
        -i "$queries" -I cli0 -R "$server_mac" "$POP_VIP_V4")
    answered=$(awk '/^total replies:/ { gsub(/\(/, "", $4); print $4 }' "$log")
    pct=$(awk '/^total replies:/ { gsub(/[()%]/, "", $6); print $6 }' "$log")
    record dns-tcp "$system" "kxdpgun -T -Q $KXDPGUN_RATE" "${answered:--}" \
        "$(awk -v p="$pct" 'BEGIN { if (p == "") print "-"; else printf "%.1f%% lost", 100 - p }')" ${cpu}
    sleep "$SETTLE_S"
    log=$work/$system.dnsperf-tcp.log
    cpu=$(measured "$server_pid" ip netns exec "$prefix-client" timeout "$LOAD_TIMEOUT_S" \
        taskset -c "$RCB_LOADGEN_CPU" dnsperf -m tcp -s "$POP_VIP_V4" -d "$queries" \
        -l "$DNSPERF_DURATION_S" -c "$DNSPERF_CLIENTS" -q "$DNSPERF_OUTSTANDING")
    qps=$(awk '/Queries per second:/ { printf "%.0f", $4 }' "$log")
    record dns-tcp "$system" "dnsperf -m tcp" "${qps:--}" \
        "$(awk '/Queries lost:/ { gsub(/[()]/, "", $4); print $4 " lost" }' "$log")" ${cpu}
}

export RCB_KNOT_XDP_TCP=on
for system in "${DNS_TCP_SYSTEMS[@]}"; do
    rcb_log "$system: starting on cpu $RCB_SERVER_CPU for DNS over TCP"
    if ! "server_start_$system" "$zonefile"; then
        rcb_log "$system did not answer: skipped (logs in $work/)"
        continue
    fi
    run_dns_tcp "$system"
    if [ "$system" = ringcast ]; then
        awk '$2 != 0 && $1 !~ /^dns_rcode_/' "$work/ringcast/run/stats" >"$work/ringcast.dns.counters" 2>/dev/null || true
    fi
    server_stop
    sleep "$SETTLE_S"
done

rcb_header "HTTP and DNS over TCP side by side; server cpu $RCB_SERVER_CPU, load generator cpu $RCB_LOADGEN_CPU"
printf '%-8s %-10s %-22s %10s %14s %8s %9s %8s\n' topic system load rate errors srv_cpu% load_cpu% xpeer
while IFS=$'\t' read -r topic system load rate errors scpu lcpu; do
    if [ "$topic" = http ]; then peer=nginx; else peer=knot_xdp; fi
    base=$(awk -F'\t' -v t="$topic" -v s="$peer" -v l="$load" '$1 == t && $2 == s && $3 == l { print $4; exit }' "$results")
    printf '%-8s %-10s %-22s %10s %14s %8s %9s %8s\n' "$topic" "$system" "$load" "$rate" \
        "$errors" "$scpu" "$lcpu" "$(rcb_ratio "$rate" "$base")"
done <"$results"
echo "   wrk: -t1 -c$HTTP_CONNECTIONS -d${HTTP_DURATION_S}s --timeout ${HTTP_TIMEOUT_S}s -H 'Host: $HOST' (close-1k adds -H 'Connection: close'); rate in requests/s"
echo "   kxdpgun: -T -t $KXDPGUN_DURATION_S -Q $KXDPGUN_RATE; dnsperf: -m tcp -l $DNSPERF_DURATION_S -c $DNSPERF_CLIENTS -q $DNSPERF_OUTSTANDING; rate in answers/s, $SIZE-record zone"
echo "   cpu: % of one core over the run, server process tree and load tool; ringcast's lcore polls (100 % busy whatever the load)"
for f in "$work"/ringcast.*.counters; do
    [ -s "$f" ] || continue
    echo "   ringcast non-zero counters ($(basename "$f" .counters | cut -d. -f2)):"
    sed 's/^/     /' "$f"
done
echo "   raw logs and results.tsv in $work"
