#!/usr/bin/env bash
# Fuzzes one parser with libFuzzer (tests/fuzz/; clang, ASan + UBSan, built into build-fuzz/).
#
#   scripts/fuzz.sh --list                      the targets, one a line
#   scripts/fuzz.sh TARGET SECONDS [--merge]    build what is needed, replay TARGET's
#                                               regressions, then fuzz it for SECONDS
#
# TARGET is NAME_fuzz. Fuzzing starts from a scratch copy of tests/fuzz/corpus/NAME/, so the
# committed corpus is left alone; --merge adds the inputs that found new coverage back into it.
# Exits non-zero on a crash, a leak, a timeout or any sanitizer report, and leaves the reproducer
# in build-fuzz/tests/fuzz/artifacts/TARGET/ (the path is printed). Replay it with
# `build-fuzz/tests/fuzz/TARGET FILE`, and once fixed keep it as a regression: copy it to
# tests/fuzz/regressions/NAME/, which every run and the test suite replay.
# Installing the packages needs root (scripts/setup.sh --packages-only); nothing else does.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
readonly fuzz_dir=tests/fuzz
readonly build=build-fuzz

# The targets: tests/fuzz/meson.build's table, rows whose source exists (as its guard does).
list_targets() {
    grep -oE "^\s*(fuzz_targets \+= \[)?\['[a-z0-9_]+_fuzz'" "$fuzz_dir/meson.build" |
        grep -oE "[a-z0-9_]+_fuzz" |
        while read -r t; do [ -f "$fuzz_dir/$t.cpp" ] && echo "$t"; done
}

usage() {
    echo "usage: scripts/fuzz.sh --list | TARGET SECONDS [--merge]" >&2
    exit 2
}

[ $# -ge 1 ] || usage
if [ "$1" = --list ]; then
    list_targets
    exit 0
fi
[ $# -ge 2 ] || usage
target=$1 seconds=$2 merge=${3:-}
grep -qx "$target" <<<"$(list_targets)" || { echo "fuzz: no target '$target' (scripts/fuzz.sh --list)" >&2; exit 2; }
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: SECONDS must be a positive integer" >&2; exit 2; }
case "$merge" in '' | --merge) ;; *) usage ;; esac

scripts/setup.sh --packages-only || exit 1
if [ ! -f "$build/build.ninja" ]; then
    CXX=clang++ meson setup "$build" -Dfuzzing=true || exit 1
fi
ninja -C "$build" "$fuzz_dir/$target" || exit 1

# The smoke test's own command line (meson knows the dictionary), with SECONDS instead.
mapfile -t cmd < <(meson introspect --tests "$build" | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    if t["name"] == "fuzz-smoke-" + sys.argv[1]:
        print("\n".join(t["cmd"]))
' "$target")
[ ${#cmd[@]} -eq 6 ] || { echo "fuzz: cannot find $target's command in $build" >&2; exit 1; }
cmd[5]=$seconds
[ "$merge" = --merge ] && export RINGCAST_FUZZ_MERGE=1
cd "$build" && exec "${cmd[@]}" # as meson test runs it: paths are relative to the build
