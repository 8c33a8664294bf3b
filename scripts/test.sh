#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite: Catch2 unit tests, the
# integration tests (real ringcastd + dataplane in network namespaces, real dig/kdig/ping), then
# the sanitizer lane: the unit tests built again with ASan + UBSan (clang, build-fuzz/), the
# integration tests that need no dataplane (suite `sanitize`) against that build's ringcastd and
# ringcastctl, and every fuzz target's regressions replayed and the target fuzzed for a short
# while (libFuzzer).
# Ends with one line "N passed, M failed" over all of it; exits non-zero if anything failed.
#
#   scripts/test.sh                      everything (as root)
#   scripts/test.sh --suite unit         the unit tests alone (no root needed)
#   scripts/test.sh --lane sanitize      the sanitizer lane alone
#   scripts/test.sh [other meson test arguments]   those tests, without the sanitizer lane
#   RINGCAST_FUZZ_SECONDS=N              how long the lane fuzzes each target (default 10)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

. scripts/lib/require-root.sh
# The unit tests need no root once the packages are installed; everything else does.
if [ "$*" != "--suite unit" ]; then
    require_root test "the integration tests create network namespaces and install their packages" "$0" "$@"
fi
scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

main=true lane=false
if [ $# -eq 0 ]; then
    lane=true
elif [ "$*" = "--lane sanitize" ]; then
    main=false lane=true
    set --
fi

status=0
logs=()
lane_errors=()

# The lane's helpers. Only what its suites run is built: the daemons are not needed.
build_suites() { # BUILD_DIR SUITE...
    local dir=$1
    shift
    local targets
    targets=$(meson introspect --tests "$dir" | /usr/bin/python3 -c '
import json, os, sys
dir, suites = sys.argv[1], set(sys.argv[2:])
out = set()
for t in json.load(sys.stdin):
    if suites & {s.split(":")[-1] for s in t["suite"]}:
        # The executable, or the first argument of a script (a fuzz target, build-relative).
        for path in t["cmd"][:2]:
            full = os.path.join(os.path.abspath(dir), path)
            if full.startswith(os.path.abspath(dir) + "/") and os.path.basename(path) != "":
                if not path.startswith("/") or path.startswith(os.path.abspath(dir) + "/"):
                    out.add(os.path.relpath(full, os.path.abspath(dir)))
print("\n".join(sorted(out)))
' "$dir" "$@")
    [ -n "$targets" ] && ninja -C "$dir" $targets "${LANE_PROGRAMS[@]}"
}
suite_args() { for s in "$@"; do echo "--suite"; echo "$s"; done; }
readonly LANE_SUITES=(unit fuzz-smoke sanitize)
# What the lane's integration tests (suite `sanitize`) run: a script test names no executable.
readonly LANE_PROGRAMS=(controlplane/ringcastd/ringcastd controlplane/ringcastctl/ringcastctl
    dataplane/xdp/vip_filter.bpf.o)

# One sanitizer build, clang with ASan + UBSan on every object (and libFuzzer's coverage hooks,
# which the unit tests leave idle). With the main suite it is built meanwhile, at the lowest
# priority: the integration tests mostly wait on timers and clients, and the build takes the
# CPU they leave (about a quarter of the whole run's time saved on 2 cores).
lane_build_pid=
lane_build_log=$root/build-fuzz/lane-build.log
if $lane; then
    if [ -f build-fuzz/build.ninja ] || CXX=clang++ meson setup build-fuzz -Dfuzzing=true; then
        if $main; then
            (renice -n 19 "$BASHPID" >/dev/null && build_suites build-fuzz "${LANE_SUITES[@]}") \
                >"$lane_build_log" 2>&1 &
            lane_build_pid=$!
        fi
    else
        lane_errors+=("build-fuzz: configure failed")
        lane=false
    fi
fi

if $main; then
    meson test -C build --print-errorlogs "$@" || status=1
    logs+=("build/meson-logs/testlog.json")
fi

if $lane; then
    # A report is a failure: the build does not let UBSan recover, ASan aborts, leaks count.
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export RINGCAST_FUZZ_SECONDS=${RINGCAST_FUZZ_SECONDS:-10}
    # Then the unit tests run there, and every fuzz target replays its regressions and fuzzes
    # for RINGCAST_FUZZ_SECONDS from its seed corpus.
    if [ -n "$lane_build_pid" ]; then
        wait "$lane_build_pid"
        built=$?
        [ $built -eq 0 ] || tail -n 40 "$lane_build_log"
    else
        build_suites build-fuzz "${LANE_SUITES[@]}"
        built=$?
    fi
    if [ $built -eq 0 ]; then
        mapfile -t args < <(suite_args "${LANE_SUITES[@]}")
        meson test -C build-fuzz --no-rebuild --print-errorlogs "${args[@]}" || status=1
        logs+=("build-fuzz/meson-logs/testlog.json")
    else
        lane_errors+=("build-fuzz: build failed")
    fi
fi

/usr/bin/python3 - "${#lane_errors[@]}" "${lane_errors[@]}" "${logs[@]}" <<'PY'
import json, os, sys
n = int(sys.argv[1])
errors, logs = sys.argv[2:2 + n], sys.argv[2 + n:]
passed = failed = skipped = 0
for log in logs:
    # Tests of the other build directory are named by it: build-fuzz/unit-dns.
    prefix = "" if os.path.dirname(os.path.dirname(log)) == "build" else os.path.dirname(os.path.dirname(log)) + "/"
    for line in open(log):
        test = json.loads(line)
        result = test.get("result")
        # Each unit test is a Catch2 executable: show its own totals line.
        totals = [l for l in (test.get("stdout") or "").splitlines()
                  if l.startswith(("All tests passed", "test cases:"))]
        if totals:
            print(f"{prefix}{test['name']}: {totals[-1]}")
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            if prefix:
                print(f"{prefix}{test['name']}: {result}")
            failed += 1
for e in errors:
    print(f"FAILED: {e}")
failed += len(errors)
# A skipped test is not a pass: report it, and count it as a failure.
print(f"{passed} passed, {failed + skipped} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed or skipped else 0)
PY
summary=$?
[ $status -eq 0 ] && [ $summary -eq 0 ]
