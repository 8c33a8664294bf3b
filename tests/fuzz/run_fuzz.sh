#!/usr/bin/env bash
# Runs one libFuzzer target: its regressions once each, then fuzzing from a scratch copy of its
# seed corpus (the committed corpus is never written, unless asked to merge into it).
#
#   run_fuzz.sh EXE CORPUS REGRESSIONS DICT SECONDS|smoke [ARTIFACTS]
#     DICT       a libFuzzer dictionary, or '' for none
#     smoke      $RINGCAST_FUZZ_SECONDS seconds (default 15): the test suite's fuzz-smoke
#     ARTIFACTS  where a crashing input is left (default: BUILD/tests/fuzz/artifacts/NAME/)
#   RINGCAST_FUZZ_MERGE=1  afterwards, merge the inputs that add coverage into CORPUS
#
# Exits non-zero when a regression fails again or fuzzing finds a crash, a leak, a timeout or any
# sanitizer report (UBSan is built not to recover); the reproducer's path is printed.
set -uo pipefail
[ $# -ge 5 ] || { echo "usage: $0 EXE CORPUS REGRESSIONS DICT SECONDS|smoke [ARTIFACTS]" >&2; exit 2; }
exe=$1 corpus=$2 regressions=$3 dict=$4 seconds=$5
name=$(basename "$exe")
[ "$seconds" = smoke ] && seconds=${RINGCAST_FUZZ_SECONDS:-15}
artifacts=${6:-$(dirname "$exe")/artifacts/$name}
# A single input must never run this long: a hang is a finding too. Inputs take microseconds;
# the margin is for a loaded 2-core machine that deschedules the fuzzer for seconds.
readonly kInputTimeoutSeconds=25
readonly kRssLimitMb=2048

mkdir -p "$artifacts" && artifacts=$(cd "$artifacts" && pwd)
scratch=$(mktemp -d "/tmp/ringcast-fuzz-$name.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
[ -d "$corpus" ] && cp -r "$corpus"/. "$scratch"/
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# libFuzzer checks every input that allocates for leaks as it goes; the check at exit would only
# scan its own corpus and ASan's quarantine again, which takes minutes on a loaded machine.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}leak_check_at_exit=0

dict_args=()
[ -n "$dict" ] && dict_args=("-dict=$dict")

# Each file named runs once (libFuzzer's reproduce mode).
shopt -s nullglob
old=("$regressions"/*)
if [ ${#old[@]} -gt 0 ]; then
    echo "$name: replaying ${#old[@]} regression(s) from $regressions"
    if ! "$exe" -timeout=$kInputTimeoutSeconds "${old[@]}"; then
        echo "$name: FAILED: a regression in $regressions crashes again" >&2
        exit 1
    fi
fi

echo "$name: fuzzing for ${seconds}s from $corpus (scratch copy $scratch)"
"$exe" -max_total_time="$seconds" -timeout=$kInputTimeoutSeconds -rss_limit_mb=$kRssLimitMb \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict_args[@]}" "$scratch"
rc=$?
if [ $rc -ne 0 ]; then
    echo "$name: FAILED (libFuzzer exit $rc); reproducer(s) in $artifacts:" >&2
    ls -1t "$artifacts" | head -5 | sed "s|^|  $artifacts/|" >&2
    echo "  replay one with: $exe FILE" >&2
    exit 1
fi
if [ "${RINGCAST_FUZZ_MERGE:-0}" = 1 ]; then
    "$exe" -merge=1 "${dict_args[@]}" "$corpus" "$scratch" 2>&1 | tail -1
fi
exit 0
