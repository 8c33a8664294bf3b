#!/usr/bin/env bash
# The 10 MB download through each impairment alone and together (loss, delay, reordering; the
# integration test http_impaired_test.sh with its arguments), to see which one costs the time.
# A measurement, not a test: the figures go to bench/RESULTS.md ("Impaired link").
# Usage (as root, after a build): bench/impaired_link.sh [BUILD_DIR]   (default: build)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export RINGCAST_SOURCE_DIR=$here
export RINGCAST_BUILD_DIR=$(cd "${1:-$here/build}" && pwd)
readonly MAX_S=150 # per download: the slowest case measured ~120 s
# DELAY_MS REORDER_PERCENT LOSS_PERCENT
for spec in "50 0 0" "0 25 0" "0 0 5" "50 25 0" "50 0 5" "50 25 5"; do
    read -r delay reorder loss <<<"$spec"
    "$here/tests/integration/http_impaired_test.sh" "$delay" "$reorder" "$loss" "$MAX_S" 0 |
        grep -E '% reordered:|bytes in'
done
