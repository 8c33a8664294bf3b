#!/usr/bin/env bash
# The HTTP/1.1 keep-alive path over the dataplane's own TCP, no kernel (http_keepalive_bench.cpp):
# cycles per request (rte_rdtsc, median of runs) and requests/s per core for a 1 KiB and a
# 100 KiB object, then instructions per request under callgrind, and where they go (the top
# functions, inclusive of nothing: self cost).
# Usage: bench/micro/run_http_micro.sh
# Environment: RCB_HTTP_CALLGRIND_REQUESTS (default 20000), RCB_HTTP_TOP (functions listed, 12).
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

CALLGRIND_REQUESTS=${RCB_HTTP_CALLGRIND_REQUESTS:-20000}
TOP=${RCB_HTTP_TOP:-12}
# name:flags (--object-bytes: the object every GET asks for).
CASES=("1024:--object-bytes 1024" "102400:--object-bytes 102400")
rcb_build bench/micro/http_keepalive_bench
bench=$RCB_BUILD/bench/micro/http_keepalive_bench
out=$RCB_SCRATCH/http-micro
mkdir -p "$out"

rcb_header "http-micro: handle_frame + tcp::Engine + HttpStreamHandler, keep-alive GETs, one core (cpu $RCB_SERVER_CPU), no kernel"
printf '%-11s %9s %9s %10s %11s %9s %9s %9s %9s %s\n' case resp_B cycles/req ns/req req/s/core \
    instr/req seg_in/req seg_out/req untrimmed unexpected
for case in "${CASES[@]}"; do
    bytes=${case%%:*}
    read -ra flags <<<"${case#*:}"
    log=$out/$bytes.log
    # Exit status 2: a counter or response was not as expected; still reported.
    taskset -c "$RCB_SERVER_CPU" "$bench" "${flags[@]}" >"$log" ||
        [ $? -eq 2 ] || rcb_die "http_keepalive_bench failed: see $log"
    requests=$CALLGRIND_REQUESTS
    [ "$bytes" != 102400 ] || requests=$((CALLGRIND_REQUESTS / 20))
    cg=$out/$bytes.callgrind
    (cd "$out" && taskset -c "$RCB_SERVER_CPU" valgrind --tool=callgrind --instr-atstart=no \
        --toggle-collect='*serve_burst*' --callgrind-out-file="$cg" \
        "$bench" "${flags[@]}" --callgrind-requests "$requests" >"$cg.log" 2>&1) ||
        rcb_die "callgrind run failed: see $cg.log"
    instructions=$(rcb_ratio "$(awk '/^totals:/ { print $2 }' "$cg")" "$requests" 0)
    micro=$(grep '^micro ' "$log")
    last_run=$(grep '^run ' "$log" | tail -1)
    printf '%-11s %9s %9s %10s %11s %9s %9s %9s %9s %s\n' "$bytes" \
        "$(grep '^setup ' "$log" | rcb_kv response_bytes)" \
        "$(echo "$micro" | rcb_kv cycles_per_request)" "$(echo "$micro" | rcb_kv ns_per_request)" \
        "$(echo "$micro" | rcb_kv requests_per_s_per_core)" "$instructions" \
        "$(echo "$last_run" | rcb_kv segments_in_per_request)" \
        "$(echo "$last_run" | rcb_kv segments_out_per_request)" \
        "$(echo "$last_run" | rcb_kv untrimmed_cycles_per_request)" \
        "$(echo "$micro" | rcb_kv unexpected)"
done
echo "   cycles: median of 5 runs (1M requests each for 1 KiB, 20k for 100 KiB), 64 connections round-robin in"
echo "   bursts of 32; only the server's work is timed (handle_frame over the burst, then the timer sweep); a burst"
echo "   over 4x the median was preempted and counts at the others' mean (untrimmed: the last run as measured)"
for case in "${CASES[@]}"; do
    bytes=${case%%:*}
    requests=$CALLGRIND_REQUESTS
    [ "$bytes" != 102400 ] || requests=$((CALLGRIND_REQUESTS / 20))
    echo "   where the instructions go, $bytes B object (callgrind self cost per request, % of all):"
    callgrind_annotate "$out/$bytes.callgrind" 2>/dev/null |
        "$RCB_PYTHON" "$(dirname "$0")/callgrind_top.py" "$TOP" "$requests" | sed 's/^/     /'
done
echo "   raw logs and callgrind files in $out"
