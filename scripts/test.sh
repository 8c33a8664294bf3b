#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite: Catch2 unit tests, then the
# integration tests (real ringcastd + dataplane in network namespaces, real dig/kdig/ping).
# Ends with one line "N passed, M failed"; exits non-zero if anything failed.
#
#   scripts/test.sh [meson test arguments, e.g. --suite unit]   (as root)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

. scripts/lib/require-root.sh
# The unit tests need no root once the packages are installed; everything else does.
if [ "$*" != "--suite unit" ]; then
    require_root test "the integration tests create network namespaces and install their packages" "$0" "$@"
fi
scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

meson test -C build --print-errorlogs "$@"
status=$?

/usr/bin/python3 - build/meson-logs/testlog.json <<'PY'
import json, sys
passed = failed = skipped = 0
for line in open(sys.argv[1]):
    test = json.loads(line)
    result = test.get("result")
    # Each unit test is a Catch2 executable: show its own totals line.
    totals = [l for l in (test.get("stdout") or "").splitlines()
              if l.startswith(("All tests passed", "test cases:"))]
    if totals:
        print(f"{test['name']}: {totals[-1]}")
    if result in ("OK", "EXPECTEDFAIL"):
        passed += 1
    elif result == "SKIP":
        skipped += 1
    else:
        failed += 1
# A skipped test is not a pass: report it, and count it as a failure.
print(f"{passed} passed, {failed + skipped} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed or skipped else 0)
PY
summary=$?
[ $status -eq 0 ] && [ $summary -eq 0 ]
