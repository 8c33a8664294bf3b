# Checks that count, shared by the integration tests (tests/integration/lib/harness.sh) and the
# lab's (tests/lab/): each check prints "ok   - ..." or "FAIL - ..." with what it saw, and
# finish prints the totals and fails when any check did.

checks_passed=0
checks_failed=0

pass() { checks_passed=$((checks_passed + 1)); echo "ok   - $1"; }
fail() { checks_failed=$((checks_failed + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/       /'; }

# expect_match DESCRIPTION REGEX TEXT: passes when TEXT matches the extended REGEX.
# (A here-string, not a pipe: with pipefail, `printf | grep -q` fails when grep exits early.)
expect_match() {
    if grep -Eq -- "$2" <<<"$3"; then pass "$1"; else fail "$1 (wanted /$2/)" "$3"; fi
}
expect_no_match() {
    if grep -Eq -- "$2" <<<"$3"; then fail "$1 (unwanted /$2/)" "$3"; else pass "$1"; fi
}
expect_status() { # DESCRIPTION EXPECTED ACTUAL [OUTPUT]
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1 (exit $3, wanted $2)" "${4:-}"; fi
}

finish() { # [SUFFIX]: printed after the totals, e.g. "(in 42 s)"
    echo "$checks_passed passed, $checks_failed failed${1:+ $1}"
    [ "$checks_failed" -eq 0 ]
}
