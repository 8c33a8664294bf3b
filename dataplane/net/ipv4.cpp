#include "dataplane/net/ipv4.h"

#include "dataplane/net/checksum.h"
#include "dataplane/net/ethernet.h"
#include "dataplane/net/icmp4.h"
#include "dataplane/net/tcp.h"
#include "dataplane/net/udp.h"

#include <cstddef>
#include <cstring>

namespace ringcast::net {

using stats::DropReason;

namespace {

// RFC 1122 §3.2.1.3 and RFC 6890: sources no reply may be sent to. 0.0.0.0/8 is "this network"
// (only valid while a host learns its address), 127.0.0.0/8 never appears on a wire, and from
// 224.0.0.0 up are multicast (224/4), reserved class E (240/4) and the limited broadcast
// 255.255.255.255. Answering any of them would reflect traffic to a group or to nowhere.
bool is_unanswerable_source(const Ipv4Address& src) {
    constexpr uint8_t kThisNetwork = 0;
    constexpr uint8_t kLoopback = 127;
    constexpr uint8_t kFirstMulticastOctet = 224;
    return src[0] == kThisNetwork || src[0] == kLoopback || src[0] >= kFirstMulticastOctet;
}

uint32_t address_sum(const Ipv4Header& ip) {
    // Source and destination are adjacent in the header: one pass over both.
    static_assert(offsetof(Ipv4Header, dst) == offsetof(Ipv4Header, src) + sizeof(ip.src));
    return checksum_add_short(0, ip.src.data(), sizeof(ip.src) + sizeof(ip.dst));
}

// The sum over a received header: inline for the usual option-less 20 bytes.
uint32_t header_sum(const uint8_t* l3, uint32_t header_length) {
    if (header_length == sizeof(Ipv4Header)) return checksum_add_short(0, l3, sizeof(Ipv4Header));
    return checksum_add(0, l3, header_length);
}

} // namespace

Verdict handle_ipv4(Context& ctx, uint8_t* l3, uint32_t length) {
    if (length < sizeof(Ipv4Header)) return drop(ctx, DropReason::ipv4_truncated);
    Ipv4Header& ip = *header_at<Ipv4Header>(l3);
    const uint32_t header_length = ip.header_length();
    if (ip.version() != kIpv4Version || header_length < kIpv4MinIhl * 4u)
        return drop(ctx, DropReason::ipv4_bad_header);
    if (header_length > length) return drop(ctx, DropReason::ipv4_truncated);

    // RFC 791 §3.1: the total length counts the header and the data, so it must cover the header
    // and fit the frame. A frame longer than the datagram is normal: a 60-byte minimum Ethernet
    // frame carries padding after a short one.
    const uint32_t total_length = ip.total_length.get();
    if (total_length < header_length || total_length > length)
        return drop(ctx, DropReason::ipv4_bad_length);

    // RFC 1122 §3.2.1.2: a datagram with a bad header checksum is silently discarded.
    if (ctx.frame.rx_checksum.ip_bad) return drop(ctx, DropReason::ipv4_bad_checksum);
    if (!ctx.frame.rx_checksum.ip_good && !checksum_verifies(header_sum(l3, header_length)))
        return drop(ctx, DropReason::ipv4_bad_checksum);

    // Before the checks only a VIP's traffic needs: the kernel reassembles its own fragments
    // and receives broadcasts from 0.0.0.0 (DHCP) through the exception path.
    uint32_t dst_be;
    std::memcpy(&dst_be, ip.dst.data(), sizeof(dst_be));
    if (!ctx.config.vips.has_v4(dst_be)) return not_for_vip(ctx, DropReason::ipv4_not_vip);

    // Fragments are not reassembled: DNS over UDP answers from the first (and normally only)
    // fragment would be wrong, and holding state for reassembly is an attack surface.
    const uint16_t fragment = ip.flags_fragment_offset.get();
    if ((fragment & (kIpv4FlagMoreFragments | kIpv4FragmentOffsetMask)) != 0)
        return drop(ctx, DropReason::ipv4_fragment);
    if (is_unanswerable_source(ip.src)) return drop(ctx, DropReason::ipv4_bad_source);

    L4Datagram datagram{l3 + header_length, total_length - header_length,
                        address_sum(ip),    false,
                        ip.src.data(),      ip.dst.data()};
    L4Reply reply;
    switch (ip.protocol) {
    case kIpProtoUdp:
        reply = handle_udp(ctx, datagram);
        break;
    case kIpProtoIcmp:
        reply = handle_icmp4(ctx, datagram);
        break;
    case kIpProtoTcp:
        return handle_tcp(ctx, datagram);
    default:
        return drop(ctx, DropReason::ipv4_unsupported_protocol);
    }
    if (!reply.send) return Verdict::kDrop;
    return transmit_ipv4(ctx, ip, reply.length);
}

Verdict transmit_ipv4(Context& ctx, Ipv4Header& ip, uint16_t l4_length) {
    // Options are not echoed: the reply always has a 20-byte header and the upper-layer reply is
    // moved up to follow it. Copying a request's options would be wrong for most of them (a
    // source route must be reversed, record route and timestamp updated: RFC 1122 §3.2.1.8 and
    // §3.2.2.6 make that a SHOULD this responder does not implement), and options are rare
    // enough on the Internet that the move costs nothing measurable.
    const uint32_t header_length = ip.header_length();
    uint8_t* const l3 = reinterpret_cast<uint8_t*>(&ip);
    if (header_length != sizeof(Ipv4Header)) {
        std::memmove(l3 + sizeof(Ipv4Header), l3 + header_length, l4_length);
        ip.version_ihl = static_cast<uint8_t>(kIpv4Version << 4 | kIpv4MinIhl);
    }

    const Ipv4Address peer = ip.src;
    ip.src = ip.dst;
    ip.dst = peer;
    ip.total_length.set(static_cast<uint16_t>(sizeof(Ipv4Header) + l4_length));
    // RFC 6864 §4.1: an atomic datagram (DF set, not a fragment) may carry any ID, so no
    // per-lcore ID counter is needed. DF is safe: an echo reply is the size of the request that
    // just crossed the path, and DNS replies are capped by ResponderConfig::max_udp_payload
    // (1232 by default, chosen to fit the IPv6 minimum MTU of 1280 and thus nearly any path).
    ip.id.set(0);
    ip.flags_fragment_offset.set(kIpv4FlagDontFragment);
    ip.ttl = kReplyTtl;
    // DSCP is reflected; ECN is cleared, as the reply is not ECN-capable transport (see ipv6.cpp).
    ip.tos = static_cast<uint8_t>(ip.tos & ~kIpv4EcnMask);
    ip.checksum.set(0);
    if (ctx.config.tx_caps.ipv4_header) {
        ctx.tx.ipv4_header = true; // the field stays 0, as the NIC expects
    } else {
        ip.checksum.set(checksum_finish(checksum_add_short(0, l3, sizeof(Ipv4Header))));
    }

    EthernetHeader& eth = *header_at<EthernetHeader>(ctx.frame.data);
    address_reply(eth, ctx.config.port_mac);
    ctx.tx.l2_len = sizeof(EthernetHeader);
    ctx.tx.l3_len = sizeof(Ipv4Header);
    ctx.frame.len = static_cast<uint32_t>(sizeof(EthernetHeader) + sizeof(Ipv4Header) + l4_length);
    return Verdict::kTransmit;
}

} // namespace ringcast::net
