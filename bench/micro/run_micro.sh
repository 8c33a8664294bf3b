#!/usr/bin/env bash
# The dataplane micro-benchmark at every zone size: cycles per query (rte_rdtsc, median of runs)
# and Mqps per core by query category, and the node-index lookup alone, for the uniform mix and
# a Zipf-skewed one (SIZE-zipf rows), then instructions per query under callgrind (uniform mix);
# then the mix's cycles by burst phase for the largest and smallest zone; last, what one random
# cache miss costs on this machine at each snapshot size (bench/micro/memory_latency.cpp).
# Usage: bench/micro/run_micro.sh [SIZE...]   (sizes: 1k 10k 100k 300k 1m 3m; default 1k 100k 1m)
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=("${RCB_SIZES[@]}")
rcb_build bench/micro/dns_path_bench bench/micro/memory_latency bench/scaling/zone_compile_bench
bench=$RCB_BUILD/bench/micro/dns_path_bench
compiler=$RCB_BUILD/bench/scaling/zone_compile_bench
out=$RCB_SCRATCH/micro
mkdir -p "$out"

rcb_header "micro: net::handle_frame over the query mix, one core (cpu $RCB_SERVER_CPU), no kernel"
printf '%-9s %8s %10s | %6s %6s %6s %6s %6s | %6s | %9s %9s | %s\n' size names snapshot_MB \
    mix pos nxdom refer nodata lookup Mqps/core instr/q mismatched
for size in "${sizes[@]}"; do
    zone=$(rcb_zone "$size")
    snapshot=$out/$size.snapshot
    "$compiler" --zone "$zone/${RCB_ORIGIN}zone" --origin "$RCB_ORIGIN" --runs 1 \
        --write "$snapshot" >/dev/null
    log=$out/$size.log
    # Exit status 2 means some replies did not match their category: still reported.
    taskset -c "$RCB_SERVER_CPU" "$bench" --snapshot "$snapshot" --queries "$zone/queries.tsv" \
        --label "$size" >"$log" || [ $? -eq 2 ] || rcb_die "dns_path_bench failed: see $log"
    # The same mix reshaped to Zipf popularity (bench/micro/skewed_mix.h), as real traffic is.
    zipf_log=$out/$size.zipf.log
    taskset -c "$RCB_SERVER_CPU" "$bench" --snapshot "$snapshot" --queries "$zone/queries.tsv" \
        --label "$size-zipf" --distribution zipf >"$zipf_log" || [ $? -eq 2 ] ||
        rcb_die "dns_path_bench failed: see $zipf_log"
    # Instructions per query of the uniform mix; $1: name, then flags.
    count_instructions() {
        local name=$1
        shift
        rcb_instructions_per_query run_hot_loop "$out" "$name" "$snapshot" "$zone/queries.tsv" "$@"
    }
    instructions=$(count_instructions "$size")
    runs=("$size:$log:$instructions" "$size-zipf:$zipf_log:$instructions")
    # A snapshot small enough that the dataplane does not prefetch (kMinPrefetchSnapshotBytes)
    # is also run with the burst prefetch on: the large zones' code, to compare sizes on it.
    if grep -q '^setup .* prefetch=off ' "$log"; then
        pf_log=$out/$size.prefetch.log
        taskset -c "$RCB_SERVER_CPU" "$bench" --snapshot "$snapshot" --queries "$zone/queries.tsv" \
            --label "$size-pf" --always-prefetch >"$pf_log" || [ $? -eq 2 ] ||
            rcb_die "dns_path_bench failed: see $pf_log"
        runs+=("$size-pf:$pf_log:$(count_instructions "$size-pf" --always-prefetch)")
    fi

    setup=$(grep '^setup ' "$log")
    for run in "${runs[@]}"; do
        IFS=: read -r name run_log run_instructions <<<"$run"
        cycles() { grep "category=$1 " "$run_log" | rcb_kv cycles_per_query; }
        printf '%-9s %8s %10.1f | %6s %6s %6s %6s %6s | %6s | %9s %9s | %s\n' "$name" \
            "$(echo "$setup" | rcb_kv nodes)" \
            "$(awk -v b="$(echo "$setup" | rcb_kv snapshot_bytes)" 'BEGIN { print b / 1048576 }')" \
            "$(cycles mix)" "$(cycles positive)" "$(cycles nxdomain)" "$(cycles referral)" \
            "$(cycles nodata)" "$(grep '^lookup ' "$run_log" | rcb_kv lookup_cycles)" \
            "$(grep 'category=mix ' "$run_log" | rcb_kv mqps_per_core)" \
            "$run_instructions" \
            "$(grep '^setup ' "$run_log" | rcb_kv mismatched_replies)"
    done
done
echo "   cycles per query (median of runs, RX-buffer copy included: $(grep '^copy ' "$log" | rcb_kv copy_cycles) cycles);" \
     "lookup = the mix's question names looked up in the node index, burst-prefetched, no answer built;" \
     "SIZE-pf = the burst prefetch on below the size where the dataplane turns it on;" \
     "TSC $(echo "$setup" | rcb_kv tsc_mhz) MHz; names = snapshot nodes; logs in $out"

# Where the largest zone's extra cycles go: the mix split by burst phase, for the last and the
# first size given (the largest and the smallest by default; the first with the prefetch on, so
# both run the same code), and for the first with as many random memory lines per query as a
# large zone's lookup brings in, which nothing waits on.
# A phase that grows with the traffic alone pays for moving lines; one that grows only with the
# zone waits on data.
if [ ${#sizes[@]} -gt 1 ]; then
    small=${sizes[0]}
    large=${sizes[-1]}
    echo "== phases of the mix: cycles per query by burst phase (--phases; traffic = --traffic-lines)"
    printf '%-22s %6s %6s %10s %6s | %6s | %6s\n' run copy stage1 stages2to4 answer total lookup
    phase_row() {
        local name=$1 size=$2
        shift 2
        local log=$out/$name.phases.log
        taskset -c "$RCB_SERVER_CPU" "$bench" --snapshot "$out/$size.snapshot" \
            --queries "$(rcb_zone "$size")/queries.tsv" --label "$name" --phases "$@" >"$log" ||
            [ $? -eq 2 ] || rcb_die "dns_path_bench --phases failed: see $log"
        local row
        row=$(grep '^phases .*category=mix ' "$log")
        printf '%-22s %6s %6s %10s %6s | %6s | %6s\n' "$name" "$(echo "$row" | rcb_kv copy)" \
            "$(echo "$row" | rcb_kv stage1)" "$(echo "$row" | rcb_kv stages2to4)" \
            "$(echo "$row" | rcb_kv answer)" "$(echo "$row" | rcb_kv cycles_per_query)" \
            "$(grep '^lookup ' "$log" | rcb_kv lookup_cycles)"
    }
    phase_row "$large" "$large"
    phase_row "$small-pf" "$small" --always-prefetch
    phase_row "$small-pf+traffic3" "$small" --always-prefetch --traffic-lines 3
fi

# The floor under the large-zone rows: what one random cache miss costs at each snapshot's size.
echo "== memory: one random 64-byte load, dependent (latency) and 16 chains interleaved (throughput)"
printf '%-12s %12s %10s %16s\n' working_set dependent_cyc dependent_ns parallel16_cyc
taskset -c "$RCB_SERVER_CPU" "$RCB_BUILD/bench/micro/memory_latency" \
    --sizes-kib 64,1024,4096,8192,81920 | while read -r line; do
    printf '%-12s %12s %10s %16s\n' "$(echo "$line" | rcb_kv size_kib) KiB" \
        "$(echo "$line" | rcb_kv dependent_cycles_per_load)" \
        "$(echo "$line" | rcb_kv dependent_ns_per_load)" \
        "$(echo "$line" | rcb_kv parallel16_cycles_per_load)"
done
