#!/usr/bin/env bash
# Byte-for-byte comparison of two zone compilers: each compiles the same zones with the same hash
# seed and creation time (zone_compile_bench --write), and the snapshots must be identical. For
# a change to the compiler that must not change its output: build the old one aside, e.g.
#   git archive fdad0d8 | tar -x -C /tmp/zone-main && meson setup /tmp/zone-main/build ...
# Usage: bench/zone_identical.sh OLD_BENCH NEW_BENCH [SIZE...]
#   (zone_compile_bench binaries; generated sizes as in lib/common.sh, default 1k 100k 1m; the
#   repository's zones under zones/ and tests/data/zones/{good,differential} always)
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
[ $# -ge 2 ] || rcb_die "usage: $0 OLD_BENCH NEW_BENCH [SIZE...]"
old=$1 new=$2
shift 2
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=("${RCB_SIZES[@]}")
FIXED=(--runs 1 --hash-seed 12345 --created-unix 1700000000)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# origin_of FILE: its first $ORIGIN, else the file name without ".zone".
origin_of() {
    local origin
    origin=$(sed -n 's/^\$ORIGIN[[:space:]]\+\([^[:space:]]*\).*/\1/p' "$1" | head -1)
    [ -n "$origin" ] || origin=$(basename "$1" .zone).
    echo "$origin"
}

zones=()
for size in "${sizes[@]}"; do
    zones+=("$(rcb_zone "$size")/${RCB_ORIGIN}zone")
done
zones+=("$RCB_ROOT"/zones/*.zone "$RCB_ROOT"/tests/data/zones/good/*.zone
        "$RCB_ROOT"/tests/data/zones/differential/*.zone)

compared=0 differ=0
for zone in "${zones[@]}"; do
    origin=$(origin_of "$zone")
    "$old" --zone "$zone" --origin "$origin" "${FIXED[@]}" --write "$out/old" >/dev/null ||
        rcb_die "old compiler failed on $zone"
    "$new" --zone "$zone" --origin "$origin" "${FIXED[@]}" --write "$out/new" >/dev/null ||
        rcb_die "new compiler failed on $zone"
    if cmp -s "$out/old" "$out/new"; then
        echo "identical $(stat -c %s "$out/new") bytes  $zone"
    else
        echo "DIFFERENT              $zone"
        differ=$((differ + 1))
    fi
    compared=$((compared + 1))
done
echo "$compared zones compared, $differ different"
[ "$differ" -eq 0 ]
