#!/usr/bin/env bash
# A PoP answers as an operator expects: ringcastd started on a config, the DPDK dataplane on a
# veth (net_af_xdp or net_af_packet), and real clients in another namespace: dig and kdig over
# IPv4 and IPv6, NSID, CHAOS id.server/hostname.bind, ping and ping -6 of the VIPs.
#   usage: pop_service_test.sh af_xdp|af_packet|af_packet-2q
mode=${1:?usage: $0 af_xdp|af_packet|af_packet-2q}
. "$(dirname "$0")/lib/harness.sh"

pop_netns_create "$prefix"
write_config "pop-it-$mode" "$mode" example.net. "$RINGCAST_SOURCE_DIR/zones/example.net.zone"
start_pop

client() { pop_client "$prefix" "$@"; }
dig4() { client dig +norec +time=2 +tries=2 @"$POP_VIP_V4" "$@"; }
dig6() { client dig +norec +time=2 +tries=2 @"$POP_VIP_V6" "$@"; }

out=$(dig4 www.example.net A)
expect_match "A over IPv4: NOERROR" "status: NOERROR" "$out"
expect_match "A over IPv4: authoritative" "flags: qr aa;" "$out"
expect_match "A over IPv4: the address" "^www\.example\.net\.[[:space:]]+3600[[:space:]]+IN[[:space:]]+A[[:space:]]+203\.0\.113\.80" "$out"

out=$(dig6 www.example.net AAAA)
expect_match "AAAA over IPv6" "^www\.example\.net\.[[:space:]]+3600[[:space:]]+IN[[:space:]]+AAAA[[:space:]]+2001:db8:ffff::80" "$out"

out=$(client kdig +norec +time=2 @"$POP_VIP_V6" example.net SOA)
expect_match "kdig SOA over IPv6" "example\.net\.[[:space:]]+3600[[:space:]]+IN[[:space:]]+SOA[[:space:]]+ns1\.example\.net\. hostmaster\.example\.net\. 2026112101" "$out"

out=$(client kdig +norec +time=2 @"$POP_VIP_V4" mail.example.net A)
expect_match "kdig over IPv4" "^mail\.example\.net\.[[:space:]]+3600[[:space:]]+IN[[:space:]]+A[[:space:]]+203\.0\.113\.25" "$out"
out=$(dig4 WwW.ExAmPlE.NeT A)
expect_match "query case preserved in the answer (RFC 4343)" "^WwW\.ExAmPlE\.NeT\.[[:space:]]+3600[[:space:]]+IN[[:space:]]+A[[:space:]]+203\.0\.113\.80" "$out"

out=$(dig4 nope.example.net A)
expect_match "NXDOMAIN" "status: NXDOMAIN" "$out"
expect_match "NXDOMAIN carries the SOA with TTL min(SOA TTL, MINIMUM)" "^example\.net\.[[:space:]]+300[[:space:]]+IN[[:space:]]+SOA" "$out"

out=$(dig6 www.example.net MX)
expect_match "NODATA: NOERROR" "status: NOERROR" "$out"
expect_match "NODATA: no answer" "ANSWER: 0, AUTHORITY: 1" "$out"

out=$(dig4 a.b.ent.example.net TXT)
expect_match "a record below an empty non-terminal" "below an empty non-terminal" "$out"
out=$(dig4 b.ent.example.net TXT)
expect_match "empty non-terminal answers NODATA, not NXDOMAIN" "status: NOERROR" "$out"

out=$(dig4 www.example.org A)
expect_match "outside the served zones: REFUSED" "status: REFUSED" "$out"

out=$(dig4 +nsid www.example.net A)
expect_match "NSID answers with the PoP name" 'NSID: .*\("pop-it-'"$mode"'"\)' "$out"
out=$(dig6 +edns=0 +bufsize=1232 example.net SOA)
expect_match "EDNS OPT echoed" "; EDNS: version: 0" "$out"

out=$(dig4 +short id.server CH TXT)
expect_match "CHAOS id.server" "^\"pop-it-$mode\"$" "$out"
out=$(dig6 +short hostname.bind CH TXT)
expect_match "CHAOS hostname.bind over IPv6" "^\"pop-it-$mode\"$" "$out"

out=$(client ping -c 3 -i 0.2 -W 2 "$POP_VIP_V4" 2>&1)
expect_match "ping of the IPv4 VIP" " 0% packet loss" "$out"
out=$(client ping -6 -c 3 -i 0.2 -W 2 "$POP_VIP_V6" 2>&1)
expect_match "ping -6 of the IPv6 VIP" " 0% packet loss" "$out"

out=$(client ip neigh show dev cli0)
expect_match "ARP resolved the IPv4 VIP" "^$POP_VIP_V4 lladdr" "$out"
expect_match "neighbour discovery resolved the IPv6 VIP" "^$POP_VIP_V6 lladdr" "$out"

wait_stats
for name in arp_replies nd_advertisements icmp4_echo_replies icmp6_echo_replies dns_udp4_queries dns_udp6_queries dns_rcode_NOERROR dns_rcode_NXDOMAIN dns_rcode_REFUSED dns_nsid_requests dns_chaos_queries dns_qtype_A dns_qtype_AAAA dns_qtype_SOA dns_qtype_TXT dns_qtype_MX; do
    value=$(counter "$name")
    if [ "${value:-0}" -gt 0 ]; then pass "counter $name counted ($value)"; else fail "counter $name counted" "$(cat "$work/run/stats" 2>/dev/null)"; fi
done

stop_pop
expect_status "ringcastd stops cleanly on SIGTERM" 0 $? "$(tail -20 "$work/ringcastd.log")"
expect_match "the dataplane printed its counters on the way out" "ringcast-dataplane: stopping; counters:" "$(cat "$work/ringcastd.log")"
finish
