# Shared by the bench scripts: paths, packages, the build, generated zones, small helpers.
# Source it; it sets no traps and starts nothing.

RCB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RCB_BUILD=${RCB_BUILD:-$RCB_ROOT/build-bench}
# Generated zones, snapshots and logs: scratch, never committed.
RCB_SCRATCH=${RCB_SCRATCH:-/tmp/ringcast-bench}
RCB_PYTHON=/usr/bin/python3 # Debian's, with its modules (a pyenv python3 may shadow it)
RCB_ORIGIN=bench.example.
RCB_SEED=${RCB_SEED:-1}
RCB_QUERIES=${RCB_QUERIES:-100000} # queries in each generated mix
# The two cores: the system under test on one, the load generator (or harness) on the other.
RCB_SERVER_CPU=1
RCB_LOADGEN_CPU=0

# Zone sizes by label, in records.
declare -A RCB_SIZE_RECORDS=([1k]=1000 [10k]=10000 [100k]=100000 [300k]=300000 [1m]=1000000 [3m]=3000000)
RCB_SIZES=(1k 100k 1m)

rcb_log() { printf '[bench] %s\n' "$*" >&2; }
rcb_die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

rcb_require_root() {
    . "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/require-root.sh"
    require_root bench "the benchmarks create network namespaces and install their peers" "$0" "$@"
}

# Installs the packages of scripts/packages.txt and bench/packages.txt that are missing, the
# way scripts/setup.sh does (dpkg-query, then apt-get install).
rcb_install_packages() {
    local missing=() pkg status list
    for list in "$RCB_ROOT/scripts/packages.txt" "$RCB_ROOT/bench/packages.txt"; do
        [ -f "$list" ] || continue
        while read -r pkg; do
            pkg=${pkg%%#*}; pkg=${pkg//[[:space:]]/}
            [ -n "$pkg" ] || continue
            status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
            [ "$status" = "install ok installed" ] || missing+=("$pkg")
        done <"$list"
    done
    if [ ${#missing[@]} -gt 0 ]; then
        rcb_log "installing ${missing[*]}"
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
}

# rcb_build TARGET...: builds targets (paths relative to the build dir) in a release build dir.
# What a PoP needs: ringcastd, the dataplane and the XDP VIP filter ringcastd attaches.
RCB_POP_TARGETS=(controlplane/ringcastd/ringcastd dataplane/runtime/ringcast-dataplane
                 dataplane/xdp/vip_filter.bpf.o)
rcb_build() {
    if [ ! -f "$RCB_BUILD/build.ninja" ]; then
        meson setup "$RCB_BUILD" "$RCB_ROOT" -Dbuildtype=release >/dev/null
    fi
    ninja -C "$RCB_BUILD" "$@" >&2 || rcb_die "build failed (others may be mid-edit: retry later)"
}

# rcb_zone LABEL: prints the directory of the generated zone and query mix of that size,
# generating it when missing or older than the generator.
rcb_zone() {
    local label=$1 records=${RCB_SIZE_RECORDS[$1]:?unknown size $1}
    local dir=$RCB_SCRATCH/zones/$label-seed$RCB_SEED
    local generator=$RCB_ROOT/bench/gen_zone.py
    if [ ! -f "$dir/summary.txt" ] || [ "$generator" -nt "$dir/summary.txt" ]; then
        "$RCB_PYTHON" "$generator" --records "$records" --queries "$RCB_QUERIES" \
            --seed "$RCB_SEED" --origin "$RCB_ORIGIN" --out-dir "$dir" >&2 ||
            rcb_die "zone generation failed"
    fi
    echo "$dir"
}

# rcb_signed_zone LABEL: prints the directory of that size's zone presigned by
# scripts/sign-zone.sh with NSEC3 (no salt, no extra iterations, as RFC 9276 §3.1 advises), with
# the same query mix beside it and queries.dnssec.txt, the mix with kxdpgun's "D" flag (EDNS with
# DO). Signed again when missing or older than the unsigned zone (100k records take ~20 s, 1M a
# few minutes).
rcb_signed_zone() {
    local label=$1 unsigned
    unsigned=$(rcb_zone "$label")
    local dir=$unsigned-signed zonefile=${RCB_ORIGIN}zone
    if [ ! -f "$dir/$zonefile" ] || [ "$unsigned/$zonefile" -nt "$dir/$zonefile" ]; then
        mkdir -p "$dir"
        rcb_log "signing the $label zone (NSEC3)"
        "$RCB_ROOT/scripts/sign-zone.sh" --denial nsec3 "$RCB_ORIGIN" "$unsigned/$zonefile" \
            "$dir/$zonefile" >&2 || rcb_die "signing the $label zone failed"
    fi
    cp "$unsigned/queries.tsv" "$unsigned/queries.txt" "$dir/"
    awk '{ print $0 " D" }' "$unsigned/queries.txt" >"$dir/queries.dnssec.txt"
    echo "$dir"
}

# rcb_kv KEY: the value of KEY in the "key=value ..." line on stdin.
rcb_kv() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2; exit }'; }

# rcb_ratio A B [DIGITS]: A / B, or "-" when either is missing or B is 0.
rcb_ratio() {
    awk -v a="$1" -v b="$2" -v d="${3:-2}" \
        'BEGIN { if (a == "" || b == "" || a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.*f\n", d, a / b }'
}

# Queries run under callgrind: enough that per-call noise averages out, few enough that
# valgrind takes seconds.
RCB_CALLGRIND_QUERIES=20000

# rcb_instructions_per_query LOOP DIR NAME SNAPSHOT QUERIES_TSV [FLAG...]: instructions per query
# of dns_path_bench's LOOP (run_hot_loop, or run_lookup_loop with --lookup-only), counted by
# callgrind over RCB_CALLGRIND_QUERIES queries of the mix; DIR gets NAME.callgrind and its log.
rcb_instructions_per_query() {
    local loop=$1 dir=$2 name=$3 snapshot=$4 queries=$5
    shift 5
    (cd "$dir" && taskset -c "$RCB_SERVER_CPU" valgrind --tool=callgrind --instr-atstart=no \
        --toggle-collect="*$loop*" --callgrind-out-file="$dir/$name.callgrind" \
        "$RCB_BUILD/bench/micro/dns_path_bench" --snapshot "$snapshot" --queries "$queries" \
        --label "$name" --callgrind-queries "$RCB_CALLGRIND_QUERIES" "$@" \
        >"$dir/$name.callgrind.log" 2>&1) || rcb_die "callgrind run failed: see $dir/$name.callgrind.log"
    rcb_ratio "$(awk '/^totals:/ { print $2 }' "$dir/$name.callgrind")" "$RCB_CALLGRIND_QUERIES" 0
}

# rcb_rss_kib PID: resident set size of a process, KiB.
rcb_rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

# rcb_range_rss_kib PID START LENGTH: resident KiB of PID's mappings overlapping the address
# range [START, START + LENGTH) (START in hex with 0x, LENGTH in bytes), summed. A mapping only
# partly inside counts whole: the snapshot image's mapping has at most 2 MiB of slack.
rcb_range_rss_kib() {
    /usr/bin/python3 - "$@" <<'PY'
import re, sys
pid, start, length = sys.argv[1], int(sys.argv[2], 16), int(sys.argv[3])
total, inside = 0, False
with open(f"/proc/{pid}/smaps") as smaps:
    for line in smaps:
        mapping = re.match(r"([0-9a-f]+)-([0-9a-f]+) ", line)
        if mapping:
            lo, hi = int(mapping[1], 16), int(mapping[2], 16)
            inside = lo < start + length and hi > start
        elif inside and line.startswith("Rss:"):
            total += int(line.split()[1])
print(total)
PY
}

# rcb_stop_pid PID: SIGTERM, a bounded wait, then SIGKILL. Only for processes we started.
rcb_stop_pid() {
    local pid=$1
    [ -n "$pid" ] || return 0
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# rcb_header TITLE: what ran where, at the top of every result block.
rcb_header() {
    echo "== $1"
    echo "   $(date -u '+%Y-%m-%d %H:%M UTC'), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores, kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
}
