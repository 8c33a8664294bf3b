#!/usr/bin/env bash
# A broken zone — each semantic check, and syntax errors — gives "file:line: message" errors from
# `ringcastctl check-zone` and from ringcastd, and is never served: ringcastd refuses to start
# and writes no snapshot. The expected errors are listed in tests/data/zones/broken/EXPECTED.
. "$(dirname "$0")/lib/harness.sh"
broken=$RINGCAST_SOURCE_DIR/tests/data/zones/broken

out=$("$RINGCASTCTL" check-zone "$RINGCAST_SOURCE_DIR/zones/example.net.zone" example.net. 2>&1)
expect_status "check-zone: the demo zone is clean" 0 $? "$out"
expect_match "check-zone: one summary line" "^example\.net\.: OK" "$out"

while IFS=$'\t' read -r file line message; do
    case "$file" in ''|'#'*) continue ;; esac
    zone=$broken/$file
    out=$("$RINGCASTCTL" check-zone "$zone" example.net. 2>&1)
    expect_status "check-zone $file: exits 1" 1 $? "$out"
    expect_match "check-zone $file: reports line $line" ":$line: .*$message" "$out"

    run=$work/run-$file
    write_config "pop-broken" af_xdp example.net. "$zone"
    sed -i "s|^runtime_dir = .*|runtime_dir = \"$run\"|" "$work/ringcast.toml"
    out=$(timeout 20 "$RINGCASTD" --config "$work/ringcast.toml" 2>&1)
    status=$?
    expect_status "ringcastd with $file: refuses to start" 1 $status "$out"
    expect_match "ringcastd with $file: reports line $line" ":$line: .*$message" "$out"
    expect_no_match "ringcastd with $file: no dataplane started" "starting .*ringcast-dataplane" "$out"
    if compgen -G "$run/snapshot*.bin" >/dev/null; then fail "ringcastd with $file: no snapshot written"; else pass "ringcastd with $file: no snapshot written"; fi
done <"$broken/EXPECTED"

# A compile over [zones] compile_memory_limit is refused like a broken zone, naming the zone and
# the limit: the demo zone and 50000 more records hold several MiB, over a limit of 1 MiB.
run=$work/run-memory-limit
cp "$RINGCAST_SOURCE_DIR/zones/example.net.zone" "$work/large.zone"
append_host_records "$work/large.zone" 50000
write_config "pop-broken" af_xdp example.net. "$work/large.zone"
sed -i "s|^runtime_dir = .*|runtime_dir = \"$run\"|" "$work/ringcast.toml"
printf '[zones]\ncompile_memory_limit = 1\n' >>"$work/ringcast.toml"
out=$(timeout 20 "$RINGCASTD" --config "$work/ringcast.toml" 2>&1)
expect_status "ringcastd over compile_memory_limit: refuses to start" 1 $? "$out"
expect_match "ringcastd over compile_memory_limit: names the zone and the limit" \
    "zone example\.net\.: .* needs about [0-9]+ MiB in all, above the compile memory limit of 1 MiB" "$out"
if compgen -G "$run/snapshot*.bin" >/dev/null; then fail "ringcastd over compile_memory_limit: no snapshot written"; else pass "ringcastd over compile_memory_limit: no snapshot written"; fi

out=$("$RINGCASTCTL" check-zone "$work/does-not-exist.zone" example.net. 2>&1)
expect_status "check-zone: a missing file is an error" 1 $? "$out"
expect_match "check-zone: the missing file is named" "does-not-exist\.zone" "$out"
out=$("$RINGCASTCTL" check-zone 2>&1)
expect_status "check-zone: usage error" 2 $? "$out"
finish
