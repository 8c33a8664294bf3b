#!/usr/bin/env bash
# Zone scaling, 1k / 100k / 1M records: ringcast's compile time (records/s), snapshot size
# against the records' wire size, and the dataplane's memory serving it; beside them, knotd's
# load time and resident memory for the same zone.
# The compiler's peak RSS is printed beside knotd's RSS, and as a multiple of the snapshot.
# Usage (as root): bench/zone_scaling.sh [SIZE...]   (sizes: 1k 100k 1m; default all)
#   RCB_COMPILER_BEFORE=/path/to/zone_compile_bench: also compiles each zone with that (older)
#   build of the bench, in the same run, and prints its row "SIZE-old" above the current one.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/knot.sh"
rcb_require_root "$@"

COMPILE_RUNS=3              # median of three compilations
DATAPLANE_SETTLE_S=3        # after "serving": lets the lcore loop and stats thread start
DATAPLANE_START_TIMEOUT_S=60
KNOT_LOAD_TIMEOUT_S=600     # a 1M-record zone loads in tens of seconds; bound it anyway
KNOT_POLL_S=0.05            # resolution of the load time
KNOT_VIP=127.0.0.1          # loopback of our own namespace: no traffic leaves it
# The dataplane on a null port: no NIC, no namespace, just the process serving the snapshot.
DATAPLANE_EAL=(-l "$RCB_SERVER_CPU" --no-huge -m 512 --no-pci --no-shconf --log-level '*:warning'
               --vdev net_null0)

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=("${RCB_SIZES[@]}")
rcb_build bench/scaling/zone_compile_bench dataplane/runtime/ringcast-dataplane
compiler=$RCB_BUILD/bench/scaling/zone_compile_bench
dataplane=$RCB_BUILD/dataplane/runtime/ringcast-dataplane
out=$RCB_SCRATCH/scaling
netns=rcb-zs$$
dataplane_pid= knot_pid=
cleanup() {
    rcb_stop_pid "$dataplane_pid"
    rcb_stop_pid "$knot_pid"
    ip netns del "$netns" 2>/dev/null || true
}
trap cleanup EXIT
mkdir -p "$out"
ip netns add "$netns"
ip -n "$netns" link set lo up

# dataplane_memory SNAPSHOT LOG: "process_rss_kib snapshot_resident_kib" of the dataplane
# serving SNAPSHOT.
dataplane_memory() {
    local snapshot=$1 log=$2 deadline=$((SECONDS + DATAPLANE_START_TIMEOUT_S))
    "$dataplane" "${DATAPLANE_EAL[@]}" -- --snapshot "$snapshot" --pop-name pop-bench \
        --vip 192.0.2.53 >"$log" 2>&1 </dev/null &
    dataplane_pid=$!
    until grep -q 'serving on' "$log"; do
        [ $SECONDS -lt $deadline ] && kill -0 "$dataplane_pid" 2>/dev/null ||
            rcb_die "dataplane did not start: see $log"
        sleep 0.1
    done
    sleep "$DATAPLANE_SETTLE_S"
    # "... N bytes at 0xADDR": where the dataplane holds the snapshot image.
    local image
    image=$(sed -n 's/.* \([0-9]*\) bytes at \(0x[0-9a-f]*\)$/\2 \1/p' "$log" | head -1)
    [ -n "$image" ] || rcb_die "no snapshot address in $log"
    echo "$(rcb_rss_kib "$dataplane_pid") $(rcb_range_rss_kib "$dataplane_pid" $image)"
    rcb_stop_pid "$dataplane_pid"
    dataplane_pid=
}

# knot_load ZONEFILE DIR: "load_seconds rss_kib" of knotd loading ZONEFILE, from exec until it
# answers the zone's SOA on loopback.
knot_load() {
    local zonefile=$1 dir=$2 start deadline answer=
    rm -rf "$dir"
    knot_write_config "$dir" "$zonefile" "$KNOT_VIP"
    start=$(date +%s.%N)
    deadline=$((SECONDS + KNOT_LOAD_TIMEOUT_S))
    ip netns exec "$netns" taskset -c "$RCB_SERVER_CPU" knotd -c "$dir/knot.conf" \
        >"$dir/knotd.log" 2>&1 </dev/null &
    knot_pid=$!
    while [ $SECONDS -lt $deadline ] && kill -0 "$knot_pid" 2>/dev/null; do
        answer=$(ip netns exec "$netns" kdig +short +time=1 +retry=0 @"$KNOT_VIP" "$RCB_ORIGIN" SOA 2>/dev/null || true)
        [ -n "$answer" ] && break
        sleep "$KNOT_POLL_S"
    done
    local loaded=$(date +%s.%N)
    [ -n "$answer" ] || rcb_die "knotd did not answer for the zone: see $dir/knotd.log"
    sleep 1 # let the load's temporary memory be freed before reading RSS
    echo "$(awk -v a="$start" -v b="$loaded" 'BEGIN { printf "%.2f", b - a }') $(rcb_rss_kib "$knot_pid")"
    rcb_stop_pid "$knot_pid"
    knot_pid=
}

mb() { awk -v k="$1" 'BEGIN { if (k == "") print "-"; else printf "%.2f", k / 1024 }'; }

rcb_header "zone scaling: ringcast compile + snapshot + dataplane vs knotd load, pinned to cpu $RCB_SERVER_CPU"
row='%-8s %8s | %7s %9s | %9s %8s %5s | %8s %8s %10s %8s | %7s %8s | %s\n'
printf "$row" size records compile_s records/s snapshotMB wireMB ratio dp_rssMB snap_resMB \
    compilerMB rss/snap knot_s knot_rssMB "knot/ringcast rss"
# compile_row LABEL LINE [DP_RSS SNAP_RES KNOT_S KNOT_RSS]: one row from a compile line.
compile_row() {
    local label=$1 line=$2
    kv() { echo "$line" | rcb_kv "$1"; }
    printf "$row" "$label" "$(kv records)" "$(kv total_s)" "$(kv records_per_s)" \
        "$(mb $(($(kv snapshot_bytes) / 1024)))" "$(mb $(($(kv wire_bytes) / 1024)))" \
        "$(kv size_ratio)" "$(mb "${3:-}")" "$(mb "${4:-}")" \
        "$(mb "$(kv compiler_peak_rss_kib)")" "$(kv rss_per_snapshot)" "${5:--}" "$(mb "${6:-}")" \
        "$(rcb_ratio "${6:-}" "${3:-}")"
}
for size in "${sizes[@]}"; do
    zone=$(rcb_zone "$size")
    zonefile=$zone/${RCB_ORIGIN}zone
    snapshot=$out/$size.snapshot
    if [ -n "${RCB_COMPILER_BEFORE:-}" ]; then
        compile_row "$size-old" "$(taskset -c "$RCB_SERVER_CPU" "$RCB_COMPILER_BEFORE" \
            --zone "$zonefile" --origin "$RCB_ORIGIN" --runs "$COMPILE_RUNS")"
    fi
    line=$(taskset -c "$RCB_SERVER_CPU" "$compiler" --zone "$zonefile" --origin "$RCB_ORIGIN" \
        --runs "$COMPILE_RUNS" --write "$snapshot")
    echo "$line" >"$out/$size.compile.log"
    read -r dp_rss snap_res < <(dataplane_memory "$snapshot" "$out/$size.dataplane.log")
    read -r knot_s knot_rss < <(knot_load "$zonefile" "$out/knot-$size")
    compile_row "$size" "$line" "$dp_rss" "$snap_res" "$knot_s" "$knot_rss"
done
echo "   compile = parse (libzscanner) + checks + snapshot build, median of $COMPILE_RUNS; wire = owner +"
echo "   10 + RDATA per record, uncompressed; dp_rss = ringcast-dataplane VmRSS on a net_null port"
echo "   (DPDK --no-huge -m 512), snap_res = its snapshot image's resident part; compiler = the"
echo "   compile's peak RSS (getrusage, over the $COMPILE_RUNS runs), rss/snap = that / snapshot size;"
echo "   knot_s = exec to first SOA answer on loopback; knot_rss = knotd's RSS once loaded; logs in $out"
