#!/usr/bin/env bash
# Lookup cost against zone size, from 1k to 3M names: the node-index lookup of the mix's question
# names, burst-prefetched as the dataplane does (dns_path_bench --lookup-only --always-prefetch),
# beside its instructions (callgrind) and what one random 64-byte line of memory costs at the
# snapshot's size with 16 loads in flight (memory_latency). Sizes run interleaved, RCB_ROUNDS
# times, and the minimum of each figure is kept: the host is shared, and a neighbour's burst only
# ever adds cycles. "x1st" is the median over the rounds of each round's lookup divided by the
# first size's in the same round: the sizes of a round run within seconds of each other, under
# the same neighbours.
#
# "lines" divides the lookup's growth over the smallest zone by the growth of one line's cost
# between the same two working sets: the memory work the growth amounts to. If it stays the same
# from one size to the next, so does the lookup's work, and its time follows the machine's cost
# per line, not the number of names.
# Usage: bench/micro/run_lookup_scaling.sh [SIZE...]   (default: 1k 10k 100k 300k 1m 3m)
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

ROUNDS=${RCB_ROUNDS:-5}

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1k 10k 100k 300k 1m 3m)
rcb_build bench/micro/dns_path_bench bench/micro/memory_latency bench/scaling/zone_compile_bench
bench=$RCB_BUILD/bench/micro/dns_path_bench
out=$RCB_SCRATCH/lookup-scaling
mkdir -p "$out"

declare -A lookup_min line_min instructions nodes snapshot_kib ratios
for size in "${sizes[@]}"; do
    zone=$(rcb_zone "$size")
    snapshot=$out/$size.snapshot
    "$RCB_BUILD/bench/scaling/zone_compile_bench" --zone "$zone/${RCB_ORIGIN}zone" \
        --origin "$RCB_ORIGIN" --runs 1 --write "$snapshot" >/dev/null
    snapshot_kib[$size]=$(($(stat -c %s "$snapshot") / 1024))
    instructions[$size]=$(rcb_instructions_per_query run_lookup_loop "$out" "$size" "$snapshot" \
        "$zone/queries.tsv" --always-prefetch --lookup-only)
done

# keep_min ARRAY KEY VALUE: ARRAY[KEY] = min(ARRAY[KEY], VALUE).
keep_min() {
    local -n array=$1
    if [ -z "${array[$2]:-}" ] || awk -v a="$3" -v b="${array[$2]}" 'BEGIN { exit !(a < b) }'; then
        array[$2]=$3
    fi
}

for ((round = 1; round <= ROUNDS; round++)); do
    rcb_log "round $round of $ROUNDS"
    for size in "${sizes[@]}"; do
        log=$out/$size.round$round.log
        # Exit status 2 means some replies did not match their category: reported, not fatal.
        taskset -c "$RCB_SERVER_CPU" "$bench" --snapshot "$out/$size.snapshot" \
            --queries "$(rcb_zone "$size")/queries.tsv" --label "$size" --always-prefetch \
            --lookup-only >"$log" || [ $? -eq 2 ] || rcb_die "dns_path_bench failed: see $log"
        nodes[$size]=$(grep '^setup ' "$log" | rcb_kv nodes)
        lookup=$(grep '^lookup ' "$log" | rcb_kv lookup_cycles)
        keep_min lookup_min "$size" "$lookup"
        [ "$size" != "${sizes[0]}" ] || first=$lookup
        ratios[$size]+=" $(rcb_ratio "$lookup" "$first" 3)"
        line=$(taskset -c "$RCB_SERVER_CPU" "$RCB_BUILD/bench/micro/memory_latency" \
            --sizes-kib "${snapshot_kib[$size]}" | rcb_kv parallel16_cycles_per_load)
        keep_min line_min "$size" "$line"
    done
done

rcb_header "lookup scaling: node-index lookup by zone size, one core (cpu $RCB_SERVER_CPU), min of $ROUNDS rounds"
printf '%-6s %9s %11s | %9s %14s %6s | %13s | %6s\n' size names snapshot_MB instr/q lookup_cycles \
    x1st line_cycles lines
base=${sizes[0]}
for size in "${sizes[@]}"; do
    lines=$(awk -v l="${lookup_min[$size]}" -v l0="${lookup_min[$base]}" \
        -v m="${line_min[$size]}" -v m0="${line_min[$base]}" \
        'BEGIN { if (m - m0 < 5) print "-"; else printf "%.1f\n", (l - l0) / (m - m0) }')
    median_ratio=$(echo "${ratios[$size]}" | tr ' ' '\n' | sed '/^$/d' | sort -g |
        awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    printf '%-6s %9s %11.1f | %9s %14s %6s | %13s | %6s\n' "$size" "${nodes[$size]}" \
        "$(awk -v k="${snapshot_kib[$size]}" 'BEGIN { print k / 1024 }')" "${instructions[$size]}" \
        "${lookup_min[$size]}" "$median_ratio" "${line_min[$size]}" "$lines"
done
echo "   lookup = the mix's question names looked up in the node index, burst-prefetched, no answer" \
     "built (RX-buffer copy included); line = one random 64-byte load at the snapshot's size, 16 in" \
     "flight; x1st = median over rounds of lookup / lookup[$base] in the same round;" \
     "lines = (lookup - lookup[$base]) / (line - line[$base]), '-' where a line costs within 5" \
     "cycles of the same; logs in $out"
