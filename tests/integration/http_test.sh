#!/usr/bin/env bash
# HTTP/1.1 on the dataplane's own TCP, from outside, with real clients over IPv4 and IPv6: curl
# (keep-alive, HEAD, Range, conditional requests, precompressed variants, virtual hosts, errors,
# directory index, X-PoP, Date), Python's http.client (persistent, pipelined, HTTP/1.0), wrk, a
# 10 MB object downloaded intact alone, 16 at once and through a lossy link (nftables; delay and
# reordering are http_impaired_test.sh's), and a content reload while a keep-alive connection
# stays up. The content is made at test time.
#   usage: http_test.sh af_xdp|af_packet-2q
mode=${1:?usage: $0 af_xdp|af_packet-2q}
. "$(dirname "$0")/lib/harness.sh"
. "$(dirname "$0")/lib/control.sh"

readonly BIG_BYTES=$((10 * 1024 * 1024)) # the large object
readonly PARALLEL_DOWNLOADS=16
readonly LOSS_PERCENT=5
readonly CURL_MAX_S=10      # one small request
readonly BIG_MAX_S=30       # one 10 MB download
readonly LOSSY_MAX_S=120    # one 10 MB download through the lossy link (~60 s measured, no SACK)
readonly WRK_SECONDS=3      # bounded load: -d 3s -c 8 -t 1
readonly WRK_CONNECTIONS=8

# Two sites: www (also by the VIP addresses) and other.example.net, with the same paths.
site=$work/www
other=$work/other
mkdir -p "$site/dir" "$other"
head -c 1024 /dev/urandom | base64 -w 64 | head -c 1024 >"$site/small.txt"
head -c $((100 * 1024)) /dev/urandom >"$site/medium.bin"
head -c "$BIG_BYTES" /dev/urandom >"$site/big.bin"
for i in $(seq 400); do echo "p.rule-$i { margin: ${i}px; color: #$((i % 10))$((i % 7))$((i % 3)); }"; done >"$site/style.css"
gzip -9 -k "$site/style.css"
brotli -q 11 -k "$site/style.css"
echo "<!doctype html><title>dir</title><p>the index of /dir/" >"$site/dir/index.html"
echo "<!doctype html><title>www</title><p>www.example.net" >"$site/index.html"
echo "version 1" >"$site/reload.txt"
echo "the other site's small.txt" >"$other/small.txt"
echo "<!doctype html><title>other</title><p>other.example.net" >"$other/index.html"

pop_netns_create "$prefix"
pop="pop-http-$mode"
write_config "$pop" "$mode" example.net. "$RINGCAST_SOURCE_DIR/zones/example.net.zone"
cat >>"$work/ringcast.toml" <<TOML
[[site]]
hosts = ["www.example.net", "$POP_VIP_V4", "[$POP_VIP_V6]"]
root = "$site"
cache_control = "public, max-age=60"
[[site]]
hosts = ["other.example.net"]
root = "$other"
TOML
start_pop

client() { pop_client "$prefix" "$@"; }
sum() { sha256sum "$1" | cut -d' ' -f1; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }
counter_json() { ctl stats --json | json_get "j['total']['counters'].get('$1', 0)"; }
# hdr NAME FILE: the value of response header NAME in the dump FILE (curl -D), CR stripped.
hdr() { tr -d '\r' <"$2" | awk -v n="$(tr 'A-Z' 'a-z' <<<"$1")" -F': ' 'tolower($1) == n { print $2 }' | tail -1; }
# code FILE: the status code of the last response in the dump FILE.
code() { tr -d '\r' <"$1" | awk '/^HTTP\// { c = $2 } END { print c }'; }

# curl_checks FAMILY HOST: every curl check against the VIP address HOST (IPv6 in brackets).
curl_checks() {
    local f=$1 h=$2 d=$work/curl-$1
    mkdir -p "$d"
    local c=(client curl -sS -g --max-time "$CURL_MAX_S")

    # Keep-alive: three URLs, one connection (curl says it re-used it), bodies intact.
    "${c[@]}" -v -o "$d/1" "http://$h/small.txt" -o "$d/2" "http://$h/medium.bin" \
        -o "$d/3" "http://$h/dir/" 2>"$d/v"
    expect_match "$f keep-alive: curl re-uses the connection" "Re-using existing connection" "$(cat "$d/v")"
    expect_match "$f keep-alive: one connect for three requests" "^1$" "$(grep -c '^\* Connected to' "$d/v")"
    expect_status "$f GET 1 KiB intact" "$(sum "$site/small.txt")" "$(sum "$d/1")"
    expect_status "$f GET 100 KiB intact" "$(sum "$site/medium.bin")" "$(sum "$d/2")"
    expect_status "$f /dir/ serves dir/index.html" "$(sum "$site/dir/index.html")" "$(sum "$d/3")"
    "${c[@]}" -o "$d/root" -D "$d/root.h" "http://$h/"
    expect_status "$f / serves index.html" "$(sum "$site/index.html")" "$(sum "$d/root")"
    "${c[@]}" -o /dev/null -D "$d/dir.h" "http://$h/dir"
    expect_match "$f /dir answers (index or redirect)" "^(200|301|308)$" "$(code "$d/dir.h")"

    # HEAD: the GET's headers, no body.
    "${c[@]}" -I -o "$d/head" "http://$h/medium.bin"
    expect_status "$f HEAD: 200" 200 "$(code "$d/head")"
    expect_status "$f HEAD: Content-Length of the object" 102400 "$(hdr Content-Length "$d/head")"
    expect_match "$f HEAD: Content-Type" "^application/octet-stream" "$(hdr Content-Type "$d/head")"
    expect_status "$f HEAD: Cache-Control from the config" "public, max-age=60" "$(hdr Cache-Control "$d/head")"
    expect_match "$f X-PoP names the PoP" "^$pop$" "$(hdr X-PoP "$d/head")"
    expect_match "$f Date present (IMF-fixdate)" "^[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$" "$(hdr Date "$d/head")"
    local date_s; date_s=$(date -d "$(hdr Date "$d/head")" +%s 2>/dev/null || echo 0)
    expect_status "$f Date within 5 s of the clock" 0 "$([ $(( $(date +%s) - date_s )) -le 5 ] && [ $(( date_s - $(date +%s) )) -le 5 ]; echo $?)"
    local etag lm; etag=$(hdr ETag "$d/head"); lm=$(hdr Last-Modified "$d/head")
    expect_match "$f ETag is a quoted strong tag" '^"[^"]+"$' "$etag"
    expect_match "$f Last-Modified present" " GMT$" "$lm"

    # Range: a slice, a suffix, and one past the end.
    "${c[@]}" -r 100-1099 -o "$d/range" -D "$d/range.h" "http://$h/medium.bin"
    expect_status "$f Range 100-1099: 206" 206 "$(code "$d/range.h")"
    expect_status "$f Range 100-1099: Content-Range" "bytes 100-1099/102400" "$(hdr Content-Range "$d/range.h")"
    expect_status "$f Range 100-1099: the right bytes" "$(tail -c +101 "$site/medium.bin" | head -c 1000 | sha256sum | cut -d' ' -f1)" "$(sum "$d/range")"
    "${c[@]}" -r -500 -o "$d/suffix" -D "$d/suffix.h" "http://$h/medium.bin"
    expect_status "$f Range -500 (suffix): Content-Range" "bytes 101900-102399/102400" "$(hdr Content-Range "$d/suffix.h")"
    expect_status "$f Range -500 (suffix): the last 500 bytes" "$(tail -c 500 "$site/medium.bin" | sha256sum | cut -d' ' -f1)" "$(sum "$d/suffix")"
    "${c[@]}" -r 200000-300000 -o /dev/null -D "$d/416.h" "http://$h/medium.bin"
    expect_status "$f unsatisfiable Range: 416" 416 "$(code "$d/416.h")"
    expect_status "$f unsatisfiable Range: Content-Range bytes */length" "bytes */102400" "$(hdr Content-Range "$d/416.h")"

    # Conditional requests (RFC 9110 §13): a matching validator gives 304 with no body.
    "${c[@]}" -H "If-None-Match: $etag" -o "$d/inm" -D "$d/inm.h" "http://$h/medium.bin"
    expect_status "$f If-None-Match with the ETag: 304" 304 "$(code "$d/inm.h")"
    expect_status "$f 304 has no body" 0 "$(stat -c %s "$d/inm" 2>/dev/null || echo 0)"
    expect_status "$f 304 repeats the ETag" "$etag" "$(hdr ETag "$d/inm.h")"
    "${c[@]}" -H 'If-None-Match: "not-this-one"' -o /dev/null -D "$d/inm2.h" "http://$h/medium.bin"
    expect_status "$f If-None-Match with another tag: 200" 200 "$(code "$d/inm2.h")"
    "${c[@]}" -H "If-Modified-Since: $lm" -o /dev/null -D "$d/ims.h" "http://$h/medium.bin"
    expect_status "$f If-Modified-Since Last-Modified: 304" 304 "$(code "$d/ims.h")"
    "${c[@]}" -H "If-Modified-Since: Thu, 01 Jan 1998 00:00:00 GMT" -o /dev/null -D "$d/ims2.h" "http://$h/medium.bin"
    expect_status "$f If-Modified-Since long ago: 200" 200 "$(code "$d/ims2.h")"

    # Precompressed variants by Accept-Encoding, each with Vary.
    "${c[@]}" --compressed -o "$d/css" -D "$d/css.h" "http://$h/style.css"
    expect_status "$f --compressed: br chosen" br "$(hdr Content-Encoding "$d/css.h")"
    expect_match "$f --compressed: Vary: Accept-Encoding" "^Accept-Encoding$" "$(hdr Vary "$d/css.h")"
    expect_status "$f --compressed: Content-Length is the .br's" "$(stat -c %s "$site/style.css.br")" "$(hdr Content-Length "$d/css.h")"
    expect_status "$f --compressed: decoded body equals the file" "$(sum "$site/style.css")" "$(sum "$d/css")"
    expect_match "$f --compressed: Content-Type text/css" "^text/css" "$(hdr Content-Type "$d/css.h")"
    "${c[@]}" -H 'Accept-Encoding: gzip' -o "$d/gz" -D "$d/gz.h" "http://$h/style.css"
    expect_status "$f Accept-Encoding gzip: gzip chosen" gzip "$(hdr Content-Encoding "$d/gz.h")"
    expect_status "$f Accept-Encoding gzip: the .gz's bytes" "$(sum "$site/style.css.gz")" "$(sum "$d/gz")"
    "${c[@]}" -o "$d/plain" -D "$d/plain.h" "http://$h/style.css"
    expect_status "$f no Accept-Encoding: identity" "" "$(hdr Content-Encoding "$d/plain.h")"
    expect_match "$f no Accept-Encoding: Vary still sent" "^Accept-Encoding$" "$(hdr Vary "$d/plain.h")"
    expect_status "$f no Accept-Encoding: the file itself" "$(sum "$site/style.css")" "$(sum "$d/plain")"
    "${c[@]}" -o /dev/null -D "$d/sib.h" "http://$h/style.css.gz"
    expect_status "$f a variant is not served under its own name" 404 "$(code "$d/sib.h")"

    # Virtual hosts: the same path, two sites.
    "${c[@]}" -o "$d/other" -H 'Host: other.example.net' "http://$h/small.txt"
    expect_status "$f Host other.example.net: its own small.txt" "$(sum "$other/small.txt")" "$(sum "$d/other")"
    "${c[@]}" -o "$d/www" -H 'Host: WWW.Example.NET' "http://$h/small.txt"
    expect_status "$f Host www.example.net (any case): www's small.txt" "$(sum "$site/small.txt")" "$(sum "$d/www")"
    "${c[@]}" -o /dev/null -D "$d/nohost.h" -H 'Host: nowhere.example' "http://$h/small.txt"
    expect_status "$f unknown Host: 404" 404 "$(code "$d/nohost.h")"

    # Errors.
    "${c[@]}" -o /dev/null -D "$d/404.h" "http://$h/no/such/file"
    expect_status "$f unknown path: 404" 404 "$(code "$d/404.h")"
    expect_match "$f 404 names the PoP too" "^$pop$" "$(hdr X-PoP "$d/404.h")"
    "${c[@]}" -X POST -d 'x=1' -o /dev/null -D "$d/405.h" "http://$h/small.txt"
    expect_status "$f POST: 405" 405 "$(code "$d/405.h")"
    expect_match "$f 405 sends Allow" "GET" "$(hdr Allow "$d/405.h")"
    "${c[@]}" -X DELETE -o /dev/null -D "$d/del.h" "http://$h/small.txt"
    expect_status "$f DELETE: 405" 405 "$(code "$d/del.h")"
    "${c[@]}" -o /dev/null -D "$d/ver.h" --http1.0 "http://$h/small.txt"
    expect_status "$f curl --http1.0: 200" 200 "$(code "$d/ver.h")"
}

curl_checks IPv4 "$POP_VIP_V4"
curl_checks IPv6 "[$POP_VIP_V6]"

# Bad requests from a raw socket: garbage, a bad version, an over-long target.
raw() { # RAW_REQUEST_PRINTF HOST: the status line of the answer
    client /usr/bin/python3 -c '
import socket, sys
s = socket.create_connection((sys.argv[2], 80), timeout=5)
s.sendall(sys.argv[1].encode("latin-1").decode("unicode_escape").encode("latin-1"))
data = b""
while b"\r\n" not in data:
    chunk = s.recv(4096)
    if not chunk: break
    data += chunk
print(data.split(b"\r\n")[0].decode("latin-1"))
' "$1" "$2" 2>&1
}
for f in 4 6; do
    [ $f = 4 ] && h=$POP_VIP_V4 || h=$POP_VIP_V6
    expect_match "IPv$f garbage: 400" "^HTTP/1\.1 400 " "$(raw '\x16\x03\x01garbage\r\n\r\n' "$h")"
    expect_match "IPv$f request line without a version: 400" "^HTTP/1\.1 400 " "$(raw 'GET /\r\n\r\n' "$h")"
    expect_match "IPv$f HTTP/1.1 without Host: 400" "^HTTP/1\.1 400 " "$(raw 'GET / HTTP/1.1\r\n\r\n' "$h")"
    expect_match "IPv$f HTTP/2.0 in a request line: 505" "^HTTP/1\.1 505 " "$(raw 'GET / HTTP/2.0\r\nHost: a\r\n\r\n' "$h")"
    expect_match "IPv$f Transfer-Encoding in a request: 501 or 400" "^HTTP/1\.1 (501|400) " \
        "$(raw 'POST / HTTP/1.1\r\nHost: www.example.net\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' "$h")"
    expect_match "IPv$f an 8 KiB target: 414" "^HTTP/1\.1 (414|431) " "$(raw "GET /$(printf 'a%.0s' $(seq 8192)) HTTP/1.1\r\nHost: a\r\n\r\n" "$h")"
done

# Python's http.client and raw sockets: persistent, pipelined, HEAD then GET, HTTP/1.0.
for h in "$POP_VIP_V4" "$POP_VIP_V6"; do
    while IFS= read -r line; do
        case $line in
            "ok "*) pass "[$h] ${line#ok }" ;;
            "FAIL "*) fail "[$h] ${line#FAIL }" ;;
            *) echo "       $line" ;;
        esac
    done < <(client timeout 60 /usr/bin/python3 "$RINGCAST_SOURCE_DIR/tests/integration/http_client_checks.py" connection "$h" "$site" 2>&1)
done

# wrk, bounded: requests made, no socket errors, no non-2xx.
for url in "http://$POP_VIP_V4/small.txt" "http://[$POP_VIP_V6]/medium.bin"; do
    out=$(client timeout $((WRK_SECONDS + 10)) wrk -t1 -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" --timeout 2s "$url" 2>&1)
    echo "$out" | sed 's/^/       /'
    requests=$(awk '/requests in/ { print $1 }' <<<"$out")
    expect_status "wrk $url: requests made" 0 "$([ "${requests:-0}" -gt 100 ]; echo $?)" "$out"
    expect_no_match "wrk $url: no socket errors or timeouts" "Socket errors" "$out"
    expect_no_match "wrk $url: no non-2xx answers" "Non-2xx" "$out"
done

# The 10 MB object: once, then 16 at once, each intact.
big_sum=$(sum "$site/big.bin")
start=$(date +%s.%N)
client curl -sS --max-time "$BIG_MAX_S" -o "$work/big.1" "http://$POP_VIP_V4/big.bin"
echo "       10 MB over IPv4 in $(elapsed "$start") s"
expect_status "10 MB object intact (sha256)" "$big_sum" "$(sum "$work/big.1")"
client curl -sS -g --max-time "$BIG_MAX_S" -o "$work/big.6" "http://[$POP_VIP_V6]/big.bin"
expect_status "10 MB object over IPv6 intact (sha256)" "$big_sum" "$(sum "$work/big.6")"
rm -f "$work/big.1" "$work/big.6"
start=$(date +%s.%N)
pids=()
for i in $(seq "$PARALLEL_DOWNLOADS"); do
    [ $((i % 2)) = 0 ] && url="http://$POP_VIP_V4/big.bin" || url="http://[$POP_VIP_V6]/big.bin"
    client curl -sS -g --max-time "$BIG_MAX_S" -o "$work/par.$i" "$url" &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
echo "       $PARALLEL_DOWNLOADS x 10 MB in parallel in $(elapsed "$start") s"
intact=0
for i in $(seq "$PARALLEL_DOWNLOADS"); do
    [ "$(sum "$work/par.$i" 2>/dev/null)" = "$big_sum" ] && intact=$((intact + 1))
    rm -f "$work/par.$i"
done
expect_status "$PARALLEL_DOWNLOADS parallel 10 MB downloads, all intact" "$PARALLEL_DOWNLOADS" "$intact"

# Through a lossy link: random loss of the segments the dataplane sends, in the client
# namespace (nftables). Delay and reordering on top: http_impaired_test.sh (link_impair).
impaired_download() { # DESCRIPTION
    local before_r before_f before_t start
    before_r=$(counter_json tcp_segments_retransmitted)
    before_f=$(counter_json tcp_fast_retransmits)
    before_t=$(counter_json tcp_retransmission_timeouts)
    start=$(date +%s.%N)
    client curl -sS --max-time "$LOSSY_MAX_S" -o "$work/lossy" "http://$POP_VIP_V4/big.bin"
    echo "       $1: 10 MB in $(elapsed "$start") s;" \
        "retransmitted $(($(counter_json tcp_segments_retransmitted) - before_r)) segments," \
        "fast retransmits $(($(counter_json tcp_fast_retransmits) - before_f))," \
        "RTOs $(($(counter_json tcp_retransmission_timeouts) - before_t))"
    expect_status "$1: 10 MB intact (sha256)" "$big_sum" "$(sum "$work/lossy" 2>/dev/null)"
    expect_status "$1: the dataplane retransmitted" 0 "$([ $(($(counter_json tcp_segments_retransmitted) - before_r)) -gt 0 ]; echo $?)"
    rm -f "$work/lossy"
}
client nft -f - <<NFT
table inet impair {
    chain input { type filter hook input priority 0; tcp sport 80 numgen random mod 100 < $LOSS_PERCENT drop; }
}
NFT
expect_status "nftables loss rules installed in the client namespace" 0 $?
impaired_download "$LOSS_PERCENT % loss"
drops=$(client nft list table inet impair | grep -c drop)
expect_status "the loss rule is in place" 1 "$drops"
client nft delete table inet impair

# A content reload while a keep-alive connection stays up, and a broken site that is refused.
while IFS= read -r line; do
    case $line in
        "ok "*) pass "${line#ok }" ;;
        "FAIL "*) fail "${line#FAIL }" ;;
        *) echo "       $line" ;;
    esac
done < <(client timeout 60 /usr/bin/python3 "$RINGCAST_SOURCE_DIR/tests/integration/http_client_checks.py" \
    reload "$POP_VIP_V4" "$site" "$other" "$RINGCASTCTL" "$work/run/admin.sock" 2>&1)

wait_stats
expect_status "handshakes by SYN cookie" 0 "$([ "$(counter tcp_syn_cookies_accepted)" -ge 50 ]; echo $?)"
expect_status "no TCP checksum drops (partial sums accepted)" 0 "$([ "$(counter drop_tcp_bad_checksum)" -eq 0 ]; echo $?)"
expect_status "responses counted: 200, 206, 304, 404, 405, 416" 0 \
    "$(for s in 200 206 304 404 405 416; do [ "$(counter http_status_$s)" -gt 0 ] || exit 1; done; echo 0)"
expect_status "no 500s" 0 "$(counter http_status_500)"
grep -E '^(http_|tcp_)' "$work/run/stats" | awk '$2 != 0' | sed 's/^/       /'

stop_pop
expect_status "ringcastd stops cleanly" 0 $?
finish
