#!/usr/bin/env bash
# What DNSSEC answers cost on the per-packet path: dns_path_bench (no kernel) over the same mix on
# the unsigned zone, on the same zone presigned with NSEC3 (rcb_signed_zone) with DO=0, and with
# DO=1 on every query (RRSIGs beside each RRset, NSEC3 closest-encloser proofs: up to three SHA-1
# hashes and chain searches per negative answer). Cycles per query by category and the ratio of
# each row's mix to the unsigned one; instructions per query under callgrind.
# Usage: bench/micro/run_micro_dnssec.sh [SIZE...]   (sizes: 1k 100k 1m; default 1k 100k)
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1k 100k) # signing the 1M zone takes minutes: on request
rcb_build bench/micro/dns_path_bench bench/scaling/zone_compile_bench
bench=$RCB_BUILD/bench/micro/dns_path_bench
compiler=$RCB_BUILD/bench/scaling/zone_compile_bench
out=$RCB_SCRATCH/micro-dnssec
mkdir -p "$out"

rcb_header "micro dnssec: net::handle_frame over the mix, unsigned vs NSEC3-signed zone, one core (cpu $RCB_SERVER_CPU)"
printf '%-14s %10s | %6s %6s %6s %6s %6s | %9s %10s | %9s | %s\n' run snapshot_MB mix pos nxdom \
    refer nodata Mqps/core x_unsigned instr/q mismatched
for size in "${sizes[@]}"; do
    unsigned=$(rcb_zone "$size")
    signed=$(rcb_signed_zone "$size")
    unsigned_mix=
    # name zone_dir flags...
    for run in "$size:$unsigned:" "$size-signed:$signed:" "$size-signed-do:$signed:--dnssec-ok"; do
        IFS=: read -r name dir flag <<<"$run"
        snapshot=$out/$name.snapshot
        "$compiler" --zone "$dir/${RCB_ORIGIN}zone" --origin "$RCB_ORIGIN" --runs 1 \
            --write "$snapshot" >/dev/null
        log=$out/$name.log
        # Exit status 2: some replies did not match their category (DO=1: were not signed whole).
        taskset -c "$RCB_SERVER_CPU" "$bench" --snapshot "$snapshot" --queries "$dir/queries.tsv" \
            --label "$name" $flag >"$log" || [ $? -eq 2 ] || rcb_die "dns_path_bench failed: see $log"
        instructions=$(rcb_instructions_per_query run_hot_loop "$out" "$name" "$snapshot" \
            "$dir/queries.tsv" $flag)
        cycles() { grep "category=$1 " "$log" | rcb_kv cycles_per_query; }
        mix=$(cycles mix)
        [ -n "$unsigned_mix" ] || unsigned_mix=$mix
        setup=$(grep '^setup ' "$log")
        printf '%-14s %10.1f | %6s %6s %6s %6s %6s | %9s %10s | %9s | %s\n' "$name" \
            "$(awk -v b="$(echo "$setup" | rcb_kv snapshot_bytes)" 'BEGIN { print b / 1048576 }')" \
            "$mix" "$(cycles positive)" "$(cycles nxdomain)" "$(cycles referral)" "$(cycles nodata)" \
            "$(grep 'category=mix ' "$log" | rcb_kv mqps_per_core)" \
            "$(rcb_ratio "$mix" "$unsigned_mix")" "$instructions" \
            "$(echo "$setup" | rcb_kv mismatched_replies)"
    done
done
echo "   cycles per query (median of runs); SIZE = unsigned zone, -signed = NSEC3-signed zone with"
echo "   DO=0 queries, -signed-do = DO=1 (replies checked to carry their RRSIGs and proofs);"
echo "   x_unsigned = mix cycles / the unsigned zone's. instr/q under callgrind, where SHA-1 runs"
echo "   the portable code (valgrind hides the CPU's SHA extensions, which the timed runs use)."
echo "   Logs in $out"
