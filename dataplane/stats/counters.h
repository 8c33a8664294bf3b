// Per-lcore dataplane counters. Each counter and each drop reason is declared once, here, with
// the sentence an operator reads; `stats`, JSON and Prometheus output are all rendered from these
// tables. Counters are written only by their own lcore, with plain adds, and read from other
// threads only through counter_read.h (relaxed atomic loads); summed on read.
#pragma once

#include "dataplane/xdp/vip_filter_abi.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ringcast::stats {

// X(name, help)
#define RINGCAST_PACKET_COUNTERS(X)                                                                \
    X(rx_packets, "Frames received from the port")                                                 \
    X(rx_bytes, "Bytes received from the port")                                                    \
    X(tx_packets, "Frames handed to the port for transmission")                                    \
    X(tx_bytes, "Bytes handed to the port for transmission")                                       \
    X(arp_replies, "ARP replies sent for a VIP")                                                   \
    X(nd_advertisements, "IPv6 neighbour advertisements sent for a VIP")                           \
    X(icmp4_echo_replies, "ICMP echo replies sent from a VIP")                                     \
    X(icmp6_echo_replies, "ICMPv6 echo replies sent from a VIP")                                   \
    X(dns_udp4_queries, "DNS queries received over UDP/IPv4")                                      \
    X(dns_udp6_queries, "DNS queries received over UDP/IPv6")                                      \
    X(dns_tcp4_queries, "DNS queries received over TCP/IPv4 (RFC 7766)")                           \
    X(dns_tcp6_queries, "DNS queries received over TCP/IPv6 (RFC 7766)")                           \
    X(dns_edns_queries, "DNS queries carrying an EDNS OPT record")                                 \
    X(dns_nsid_requests, "DNS queries asking for the NSID option (RFC 5001)")                      \
    X(dns_chaos_queries, "DNS CHAOS-class queries (id.server, hostname.bind)")                     \
    X(dns_truncated, "DNS responses sent with TC=1 because the answer did not fit")                \
    X(exception_to_kernel, "Exception path: frames not for a VIP handed to the kernel's TAP")      \
    X(exception_from_kernel,                                                                       \
      "Exception path: frames the kernel sent on the TAP, sent on the port")                       \
    X(udp_partial_checksums,                                                                       \
      "UDP datagrams accepted with only the pseudo-header sum as checksum (veth sender offload)")  \
    X(tcp_partial_checksums,                                                                       \
      "TCP segments accepted with only the pseudo-header sum as checksum (veth sender offload)")   \
    X(tcp_syn_cookies_sent, "TCP: SYN-ACKs sent, each carrying a SYN cookie")                      \
    X(tcp_syn_cookies_accepted, "TCP: Handshakes completed by a valid SYN cookie")                 \
    X(tcp_syn_cookies_rejected, "TCP: ACKs to no connection whose cookie was forged or expired")   \
    X(tcp_connections_opened, "TCP: Connections established")                                      \
    X(tcp_connections_closed, "TCP: Connections closed normally (FIN both ways)")                  \
    X(tcp_connections_reset_by_peer, "TCP: Connections the peer reset (RST exactly at RCV.NXT)")   \
    X(tcp_connections_aborted, "TCP: Connections this server reset (retransmissions exhausted)")   \
    X(tcp_connections_idle_closed,                                                                 \
      "TCP: Connections closed for being idle longer than the timeout")                            \
    X(tcp_table_full, "TCP: Handshakes refused because the connection table is at its cap")        \
    X(tcp_time_wait_recycled,                                                                      \
      "TCP: TIME-WAIT connections ended early to admit a new one at the cap")                      \
    X(tcp_resets_sent, "TCP: RSTs sent (to segments for no connection, and aborts)")               \
    X(tcp_challenge_acks, "TCP: Challenge ACKs sent (RFC 5961) for an in-window RST or SYN")       \
    X(tcp_challenge_acks_limited, "TCP: Challenge ACKs not sent because of their rate limit")      \
    X(tcp_unacceptable_segments, "TCP: Segments outside the receive window, answered with an ACK") \
    X(tcp_out_of_order_dropped, "TCP: In-window data beyond RCV.NXT, dropped and re-ACKed")        \
    X(tcp_receive_buffer_full, "TCP: Data dropped because the receive buffer was full")            \
    X(tcp_bad_ack, "TCP: ACKs for data not yet sent, answered with an ACK")                        \
    X(tcp_paws_rejected, "TCP: Segments with an old timestamp (RFC 7323 §5 PAWS)")                 \
    X(tcp_retransmission_timeouts, "TCP: Retransmission timer expiries (RFC 6298)")                \
    X(tcp_fast_retransmits, "TCP: Fast retransmissions after three duplicate ACKs (RFC 5681)")     \
    X(tcp_segments_retransmitted, "TCP: Data segments sent again")                                 \
    X(tcp_sack_permitted, "TCP: Connections with SACK negotiated (RFC 2018 §2)")                   \
    X(tcp_sack_blocks_received, "TCP: SACK blocks taken into the scoreboard (RFC 2018 §3)")        \
    X(tcp_sack_blocks_invalid,                                                                     \
      "TCP: SACK blocks ignored: empty, not above SND.UNA or past SND.MAX")                        \
    X(tcp_sack_dsack_received, "TCP: D-SACK blocks (RFC 2883) reporting a duplicate, ignored")     \
    X(tcp_sack_scoreboard_full, "TCP: SACKed ranges forgotten for lack of scoreboard slots")       \
    X(tcp_sack_recoveries, "TCP: Loss recoveries driven by the SACK scoreboard (RFC 6675)")        \
    X(tcp_sack_retransmits, "TCP: Holes retransmitted by SACK loss recovery (RFC 6675 NextSeg)")   \
    X(tcp_rack_losses, "TCP: Segments deemed lost by RACK's time-based detection (RFC 8985 §6.2)") \
    X(tcp_rack_lost_retransmissions,                                                               \
      "TCP: Retransmissions found lost by RACK, without waiting for the RTO (RFC 8985 §6.2)")      \
    X(tcp_rack_reordering_seen,                                                                    \
      "TCP: Connections on which RACK first saw reordering (§6.2 step 3)")                         \
    X(tcp_rack_reorder_timeouts, "TCP: RACK reordering timer expiries (RFC 8985 §6.2 step 5)")     \
    X(tcp_tlp_probes, "TCP: Tail loss probes sent (RFC 8985 §7.3)")                                \
    X(tcp_tlp_retransmissions, "TCP: Tail loss probes that resent the last segment (§7.3)")        \
    X(tcp_tlp_recoveries, "TCP: Losses repaired by a tail loss probe, cwnd reduced (§7.4)")        \
    X(tcp_recoveries_undone,                                                                       \
      "TCP: SACK recoveries whose every retransmission proved spurious, cwnd restored (RFC 4015)") \
    X(tcp_limited_transmits, "TCP: New segments sent on the first two duplicate ACKs (RFC 3042)")  \
    X(tcp_transmit_log_full, "TCP: Sends held back: the flight filled the transmit log")           \
    X(tcp_rto_scoreboard_kept,                                                                     \
      "TCP: Timeouts that kept the SACK scoreboard, resending only the un-SACKed (RFC 8985 §6.3)") \
    X(tcp_zero_window_probes, "TCP: Zero-window probes sent (RFC 9293 §3.8.6.1)")                  \
    X(tcp_segments_received, "TCP: TCP segments handed to the engine")                             \
    X(tcp_segments_sent, "TCP: TCP segments sent")                                                 \
    X(http_requests, "HTTP: requests answered (every status)")                                     \
    X(http_body_bytes, "HTTP: body bytes queued from the content snapshot")                        \
    X(http_status_200, "HTTP: 200 OK")                                                             \
    X(http_status_206, "HTTP: 206 Partial Content (a Range served)")                               \
    X(http_status_304, "HTTP: 304 Not Modified (If-None-Match / If-Modified-Since)")               \
    X(http_status_400, "HTTP: 400 Bad Request")                                                    \
    X(http_status_404, "HTTP: 404 Not Found (unknown host or path)")                               \
    X(http_status_405, "HTTP: 405 Method Not Allowed (not GET or HEAD)")                           \
    X(http_status_408, "HTTP: 408 Request Timeout (idle with a partial request)")                  \
    X(http_status_413, "HTTP: 413 Content Too Large (request body)")                               \
    X(http_status_414, "HTTP: 414 URI Too Long")                                                   \
    X(http_status_416, "HTTP: 416 Range Not Satisfiable")                                          \
    X(http_status_431, "HTTP: 431 Request Header Fields Too Large")                                \
    X(http_status_500, "HTTP: 500 Internal Server Error")                                          \
    X(http_status_501, "HTTP: 501 Not Implemented (Transfer-Encoding in a request)")               \
    X(http_status_505, "HTTP: 505 HTTP Version Not Supported")

// X(name, help). Every frame the dataplane does not answer ends in exactly one of these, or in
// exception_to_kernel.
#define RINGCAST_DROP_REASONS(X)                                                                   \
    X(multi_segment, "Frame spans several buffers; only single-buffer frames are parsed")          \
    X(tx_no_mbuf, "TCP segment not sent: no mbuf free (TCP retransmits it)")                       \
    X(eth_truncated, "Frame shorter than an Ethernet header")                                      \
    X(eth_not_for_us, "Unicast destination MAC is not the port's")                                 \
    X(eth_bad_source, "Source MAC is a group address: a reply would go to the whole group")        \
    X(eth_unsupported_type, "EtherType other than IPv4, IPv6 or ARP (VLAN tags included)")         \
    X(arp_malformed, "ARP packet truncated or not Ethernet/IPv4")                                  \
    X(arp_not_request, "ARP packet other than a request")                                          \
    X(arp_not_vip, "ARP request for an address that is not a VIP")                                 \
    X(ipv4_truncated, "IPv4 packet shorter than its header")                                       \
    X(ipv4_bad_header, "IPv4 version or header length invalid")                                    \
    X(ipv4_bad_length, "IPv4 total length disagrees with the frame")                               \
    X(ipv4_bad_checksum, "IPv4 header checksum wrong")                                             \
    X(ipv4_bad_source, "IPv4 source is multicast, broadcast, loopback or unspecified")             \
    X(ipv4_fragment, "IPv4 fragment; fragmented queries are not reassembled")                      \
    X(ipv4_not_vip, "IPv4 destination is not a VIP")                                               \
    X(ipv4_unsupported_protocol, "IPv4 protocol other than ICMP or UDP")                           \
    X(ipv6_truncated, "IPv6 packet shorter than its header")                                       \
    X(ipv6_bad_header, "IPv6 version field is not 6")                                              \
    X(ipv6_bad_length, "IPv6 payload length disagrees with the frame")                             \
    X(ipv6_bad_source, "IPv6 source is multicast, loopback or unspecified")                        \
    X(ipv6_not_vip, "IPv6 destination is not a VIP or its solicited-node group")                   \
    X(ipv6_extension_header, "IPv6 extension headers are not processed")                           \
    X(ipv6_unsupported_protocol, "IPv6 next header other than ICMPv6 or UDP")                      \
    X(icmp4_truncated, "ICMP message shorter than its header")                                     \
    X(icmp4_bad_checksum, "ICMP checksum wrong")                                                   \
    X(icmp4_unsupported_type, "ICMP type other than echo request")                                 \
    X(icmp6_truncated, "ICMPv6 message shorter than its header")                                   \
    X(icmp6_bad_checksum, "ICMPv6 checksum wrong")                                                 \
    X(icmp6_unsupported_type, "ICMPv6 type other than echo request or neighbour solicitation")     \
    X(nd_malformed, "Neighbour solicitation invalid (RFC 4861 §7.1.1)")                            \
    X(nd_not_vip, "Neighbour solicitation for an address that is not a VIP")                       \
    X(nd_no_room, "Buffer too small for the neighbour advertisement (86 bytes)")                   \
    X(udp_truncated, "UDP datagram shorter than its header")                                       \
    X(udp_bad_length, "UDP length disagrees with the IP payload")                                  \
    X(udp_bad_checksum, "UDP checksum wrong (or zero over IPv6)")                                  \
    X(udp_bad_source_port, "UDP source port 0: cannot be answered")                                \
    X(udp_port_unserved, "UDP destination port other than 53")                                     \
    X(tcp_unserved, "TCP segment on an lcore without a TCP engine")                                \
    X(tcp_truncated, "TCP segment shorter than its header")                                        \
    X(tcp_bad_header, "TCP data offset below 5 words or past the segment")                         \
    X(tcp_bad_checksum, "TCP checksum wrong")                                                      \
    X(tcp_bad_source_port, "TCP source port 0")                                                    \
    X(tcp_bad_options, "TCP option list malformed")                                                \
    X(tcp_port_unserved, "TCP segment to a port other than 53 or 80 (answered with RST)")          \
    X(dns_too_short, "DNS message shorter than its 12-byte header: no ID to answer")               \
    X(dns_response_received, "DNS message with QR=1: responses are never answered")                \
    X(dns_no_room, "Response does not fit the buffer even truncated")                              \
    X(dns_tcp_message_too_long, "DNS over TCP: message longer than the receive buffer, or empty")  \
    X(tx_ring_full, "Port transmit ring full; response freed unsent")                              \
    X(exception_dropped,                                                                           \
      "Exception path: frame freed because the TAP's or the port's transmit ring was full")

#define RINGCAST_ENUM_ENTRY(name, help) name,
enum class Counter : uint16_t { RINGCAST_PACKET_COUNTERS(RINGCAST_ENUM_ENTRY) kCount };
enum class DropReason : uint16_t { RINGCAST_DROP_REASONS(RINGCAST_ENUM_ENTRY) kCount };
#undef RINGCAST_ENUM_ENTRY

inline constexpr size_t kCounterCount = static_cast<size_t>(Counter::kCount);
inline constexpr size_t kDropReasonCount = static_cast<size_t>(DropReason::kCount);
// The XDP VIP filter's verdicts (dataplane/xdp/vip_filter_abi.h), on AF_XDP ports.
inline constexpr size_t kXdpVerdictCount = RC_XDP_VERDICT_COUNT;
// RCODE 0..15 from the header, plus extended RCODEs up to BADVERS (16) and BADCOOKIE (23)
// (RFC 6891 §6.1.3, RFC 7873 §8), each its own slot, and one more for any RCODE beyond those.
inline constexpr size_t kRcodeNamedSlots = 24;
inline constexpr size_t kRcodeSlotOther = kRcodeNamedSlots;
inline constexpr size_t kRcodeSlots = kRcodeNamedSlots + 1;

// The slot counting `rcode`; an RCODE without a slot of its own is "OTHER", never NOERROR.
constexpr size_t rcode_slot(unsigned rcode) {
    return rcode < kRcodeNamedSlots ? rcode : kRcodeSlotOther;
}
static_assert(rcode_slot(0) == 0 && rcode_slot(23) == 23 && rcode_slot(24) == kRcodeSlotOther);

// Queries by QTYPE: the types an operator watches, each its own slot, and one for the rest.
// X(name, type number)
#define RINGCAST_QTYPES(X)                                                                         \
    X(A, 1)                                                                                        \
    X(NS, 2)                                                                                       \
    X(CNAME, 5)                                                                                    \
    X(SOA, 6)                                                                                      \
    X(PTR, 12)                                                                                     \
    X(MX, 15)                                                                                      \
    X(TXT, 16)                                                                                     \
    X(AAAA, 28)                                                                                    \
    X(SRV, 33)                                                                                     \
    X(NAPTR, 35)                                                                                   \
    X(DS, 43)                                                                                      \
    X(DNSKEY, 48)                                                                                  \
    X(SVCB, 64)                                                                                    \
    X(HTTPS, 65)                                                                                   \
    X(ANY, 255)                                                                                    \
    X(CAA, 257)

#define RINGCAST_QTYPE_ENTRY(name, number) +1
inline constexpr size_t kQtypeSlots = 1 RINGCAST_QTYPES(RINGCAST_QTYPE_ENTRY); // + "OTHER"
#undef RINGCAST_QTYPE_ENTRY

// Slot numbers in list order, so that qtype_slot can be a switch (a few compares, not one per
// listed type).
enum QtypeSlotIndex : size_t {
#define RINGCAST_QTYPE_INDEX(name, number) kQtypeSlot_##name,
    RINGCAST_QTYPES(RINGCAST_QTYPE_INDEX)
#undef RINGCAST_QTYPE_INDEX
        kQtypeSlotOther
};
static_assert(kQtypeSlotOther == kQtypeSlots - 1);

// The slot counting `qtype`; the last slot is every type without one of its own.
constexpr size_t qtype_slot(uint16_t qtype) {
    switch (qtype) {
#define RINGCAST_QTYPE_CASE(name, number)                                                          \
    case (number):                                                                                 \
        return kQtypeSlot_##name;
        RINGCAST_QTYPES(RINGCAST_QTYPE_CASE)
#undef RINGCAST_QTYPE_CASE
    default:
        return kQtypeSlotOther;
    }
}
static_assert(qtype_slot(1) == 0 && qtype_slot(257) == kQtypeSlots - 2 &&
              qtype_slot(999) == kQtypeSlots - 1);
std::string_view qtype_slot_name(size_t slot); // "A", "AAAA", ..., "OTHER"

struct CounterInfo {
    std::string_view name;
    std::string_view help;
};
extern const std::array<CounterInfo, kCounterCount> kCounterInfo;
extern const std::array<CounterInfo, kDropReasonCount> kDropReasonInfo;
extern const std::array<CounterInfo, kXdpVerdictCount> kXdpVerdictInfo;
std::string_view rcode_name(size_t slot); // "NOERROR", "FORMERR", ..., "BADCOOKIE", "OTHER"

struct alignas(64) LcoreCounters {
    std::array<uint64_t, kCounterCount> counter{};
    std::array<uint64_t, kDropReasonCount> drop{};
    std::array<uint64_t, kRcodeSlots> dns_rcode{}; // responses sent, by rcode_slot()
    std::array<uint64_t, kQtypeSlots> dns_qtype{}; // queries with a question, by QTYPE
    // The XDP filter's verdicts. No lcore counts these: the kernel does, per CPU, in the
    // filter's map, and the control and stats threads read that map into the main lcore's entry.
    std::array<uint64_t, kXdpVerdictCount> xdp_verdict{};

    void add(Counter c, uint64_t n = 1) { counter[static_cast<size_t>(c)] += n; }
    void count_drop(DropReason r) { ++drop[static_cast<size_t>(r)]; }
    void count_rcode(unsigned rcode) { ++dns_rcode[rcode_slot(rcode)]; }
    void count_qtype(uint16_t qtype) { ++dns_qtype[qtype_slot(qtype)]; }
    uint64_t get(Counter c) const { return counter[static_cast<size_t>(c)]; }
    uint64_t get(DropReason r) const { return drop[static_cast<size_t>(r)]; }

    LcoreCounters& operator+=(const LcoreCounters& other);
};

} // namespace ringcast::stats
