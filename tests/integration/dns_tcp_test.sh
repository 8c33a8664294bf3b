#!/usr/bin/env bash
# DNS over TCP (RFC 7766) through the dataplane's own TCP, with real clients: dig +tcp and
# kdig +tcp over IPv4 and IPv6, several queries on one connection, an answer too large for UDP
# that comes back truncated over UDP and whole over TCP, and a segment to an unserved port
# answered with a reset. The client keeps its kernel's checksum offload (partial checksums).
#   usage: dns_tcp_test.sh af_xdp|af_packet-2q
mode=${1:?usage: $0 af_xdp|af_packet-2q}
. "$(dirname "$0")/lib/harness.sh"

# The example zone plus an RRset of 40 TXT records of 200 bytes: ~8.5 kB, far over 1232.
zone=$work/example.net.zone
cp "$RINGCAST_SOURCE_DIR/zones/example.net.zone" "$zone"
text=$(printf 'x%.0s' $(seq 200))
for i in $(seq 40); do printf 'big IN TXT "%02d%s"\n' "$i" "${text:2}" >>"$zone"; done

pop_netns_create "$prefix"
write_config "pop-tcp-$mode" "$mode" example.net. "$zone"
start_pop

client() { pop_client "$prefix" "$@"; }

out=$(client dig +tcp +norec +time=2 +tries=2 @"$POP_VIP_V4" www.example.net A)
expect_match "dig +tcp over IPv4: the address" "^www\.example\.net\.[[:space:]]+3600[[:space:]]+IN[[:space:]]+A[[:space:]]+203\.0\.113\.80" "$out"
expect_match "dig +tcp over IPv4: over TCP" "\(TCP\)" "$out"
out=$(client dig +tcp +norec +time=2 +tries=2 @"$POP_VIP_V6" www.example.net AAAA)
expect_match "dig +tcp over IPv6: the address" "^www\.example\.net\.[[:space:]]+3600[[:space:]]+IN[[:space:]]+AAAA[[:space:]]+2001:db8:ffff::80" "$out"
out=$(client dig +tcp +norec +time=2 +tries=2 @"$POP_VIP_V4" nope.example.net A)
expect_match "dig +tcp: NXDOMAIN with the SOA" "status: NXDOMAIN" "$out"
out=$(client kdig +tcp +time=2 @"$POP_VIP_V6" example.net SOA)
expect_match "kdig +tcp over IPv6: SOA" "example\.net\.[[:space:]]+3600[[:space:]]+IN[[:space:]]+SOA[[:space:]]+ns1\.example\.net\." "$out"
out=$(client kdig +tcp +time=2 +nsid @"$POP_VIP_V4" www.example.net A)
expect_match "kdig +tcp: NSID names the PoP" "pop-tcp-$mode" "$out"

# Several queries on one connection, answered in order.
out=$(client dig +tcp +keepopen +short +time=2 @"$POP_VIP_V4" www.example.net A example.net MX \
    example.net NS mail.example.net A)
expect_match "pipelined: first answer" "^203\.0\.113\.80$" "$out"
expect_match "pipelined: MX" "^10 mail\.example\.net\.$" "$out"
expect_match "pipelined: NS" "^ns1\.example\.net\.$" "$out"
expect_match "pipelined: last answer" "^203\.0\.113\.25$" "$out"

# Too large for UDP: TC over UDP, all 40 records over TCP, and dig's own retry completes.
out=$(client dig +norec +ignore +time=2 @"$POP_VIP_V4" big.example.net TXT)
expect_match "large answer over UDP is truncated" "flags: qr aa tc;" "$out"
out=$(client dig +tcp +norec +time=2 @"$POP_VIP_V4" big.example.net TXT)
expect_match "large answer over TCP is whole" "ANSWER: 40," "$out"
expect_match "large answer over TCP: the last record" '"40xxx' "$out"
out=$(client dig +norec +time=2 @"$POP_VIP_V6" big.example.net TXT)
expect_match "UDP answer with TC completes over TCP (dig's retry)" "ANSWER: 40," "$out"

# A port nothing listens on: refused with a reset at once (python's connect sees it).
out=$(client python3 -c '
import socket
s = socket.socket()
s.settimeout(3)
try:
    s.connect(("'"$POP_VIP_V4"'", 8080))
    print("connected")
except ConnectionRefusedError:
    print("refused")
except OSError as e:
    print("error", e)
' 2>&1)
expect_match "an unserved TCP port answers RST" "^refused$" "$out"

wait_stats
expect_status "handshakes made by SYN cookie" 0 "$([ "$(counter tcp_syn_cookies_accepted)" -ge 8 ]; echo $?)"
expect_status "no forged cookies seen" 0 "$([ "$(counter tcp_syn_cookies_rejected)" -eq 0 ]; echo $?)"
expect_status "queries counted over TCP/IPv4 and IPv6" 0 \
    "$([ "$(counter dns_tcp4_queries)" -ge 8 ] && [ "$(counter dns_tcp6_queries)" -ge 2 ]; echo $?)"
expect_status "no TCP checksum drops (partial sums accepted)" 0 \
    "$([ "$(counter drop_tcp_bad_checksum)" -eq 0 ] && [ "$(counter tcp_partial_checksums)" -gt 0 ]; echo $?)"
expect_status "unserved port counted" 0 "$([ "$(counter drop_tcp_port_unserved)" -ge 1 ]; echo $?)"

stop_pop
finish
