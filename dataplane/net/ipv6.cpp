#include "dataplane/net/ipv6.h"

#include "dataplane/net/checksum.h"
#include "dataplane/net/ethernet.h"
#include "dataplane/net/icmp6.h"
#include "dataplane/net/tcp.h"
#include "dataplane/net/udp.h"

#include <cstddef>

namespace ringcast::net {

using stats::DropReason;

namespace {

// IANA "IPv6 Extension Header Types" (RFC 8200 §4, RFC 7045). None is parsed: a packet that
// carries one is dropped. Hop-by-hop options (0) appear on MLD and router alert traffic, which
// is not ours; fragments (44) are not reassembled for the same reasons as IPv4 fragments; DNS
// and echo from the Internet practically never carry the others. Walking the chain would be a
// bounded loop added here if that ever changes.
bool is_extension_header(uint8_t next_header) {
    switch (next_header) {
    case 0:   // Hop-by-Hop Options
    case 43:  // Routing
    case 44:  // Fragment
    case 50:  // Encapsulating Security Payload
    case 51:  // Authentication Header
    case 60:  // Destination Options
    case 135: // Mobility
    case 139: // Host Identity Protocol
    case 140: // Shim6
    case 253: // experimentation and testing (RFC 3692)
    case 254:
        return true;
    default:
        return false;
    }
}

uint32_t address_sum(const Ipv6Header& ip) {
    // Source and destination are adjacent in the header: one pass over both.
    static_assert(offsetof(Ipv6Header, dst) == offsetof(Ipv6Header, src) + sizeof(ip.src));
    return checksum_add_short(0, ip.src.data(), sizeof(ip.src) + sizeof(ip.dst));
}

} // namespace

Verdict handle_ipv6(Context& ctx, uint8_t* l3, uint32_t length) {
    if (length < sizeof(Ipv6Header)) return drop(ctx, DropReason::ipv6_truncated);
    Ipv6Header& ip = *header_at<Ipv6Header>(l3);
    if (ip.version() != kIpv6Version) return drop(ctx, DropReason::ipv6_bad_header);
    // The payload length must fit the frame; a shorter one leaves Ethernet padding behind it.
    // Zero with a hop-by-hop jumbo payload option (RFC 2675) is dropped below as an extension.
    const uint32_t payload_length = ip.payload_length.get();
    if (payload_length > length - sizeof(Ipv6Header)) return drop(ctx, DropReason::ipv6_bad_length);

    Ipv6Packet packet;
    packet.ip = &ip;
    // RFC 4291 §2.5.2/§2.5.3: the unspecified address is only a source while an address is being
    // acquired, i.e. a duplicate address detection solicitation (RFC 4862 §5.4), which ICMPv6
    // checks for; loopback never leaves a host; multicast is never a source (RFC 4291 §2.7).
    if (is_multicast(ip.src) || is_loopback(ip.src)) return drop(ctx, DropReason::ipv6_bad_source);
    if (is_unspecified(ip.src)) {
        if (ip.next_header != kIpProtoIcmp6) return drop(ctx, DropReason::ipv6_bad_source);
        packet.src_unspecified = true;
    }
    // A VIP, or a VIP's solicited-node group, to which only neighbour solicitations are sent.
    if (!ctx.config.vips.has_v6(ip.dst.data())) {
        if (ip.next_header != kIpProtoIcmp6 ||
            !ctx.config.vips.is_solicited_node_group_of_vip(ip.dst.data()))
            return not_for_vip(ctx, DropReason::ipv6_not_vip);
        packet.dst_solicited_node = true;
    }

    packet.datagram = L4Datagram{l3 + sizeof(Ipv6Header), payload_length, address_sum(ip), true,
                                 ip.src.data(),           ip.dst.data()};
    switch (ip.next_header) {
    case kIpProtoIcmp6:
        return handle_icmp6(ctx, packet);
    case kIpProtoUdp: {
        const L4Reply reply = handle_udp(ctx, packet.datagram);
        if (!reply.send) return Verdict::kDrop;
        return transmit_ipv6_reply(ctx, ip, reply.length);
    }
    case kIpProtoTcp:
        return handle_tcp(ctx, packet.datagram);
    default:
        if (is_extension_header(ip.next_header))
            return drop(ctx, DropReason::ipv6_extension_header);
        return drop(ctx, DropReason::ipv6_unsupported_protocol);
    }
}

Verdict transmit_ipv6(Context& ctx, Ipv6Header& ip, uint16_t l4_length, uint8_t hop_limit) {
    // The traffic class's DSCP and the flow label are reflected (as Linux does with
    // net.ipv6.flowlabel_reflect): ECMP routers that hash the flow label then keep both
    // directions on one path, which anycast relies on (RFC 7690). The ECN field is cleared: the
    // reply is not ECN-capable transport, and echoing a CE mark would report congestion that
    // the reply never met (RFC 3168 §5).
    ip.version_class_flow.set(ip.version_class_flow.get() & ~kIpv6EcnMask);
    ip.payload_length.set(l4_length);
    ip.hop_limit = hop_limit;

    address_reply(*header_at<EthernetHeader>(ctx.frame.data), ctx.config.port_mac);
    ctx.tx.ipv6 = true;
    ctx.tx.l2_len = sizeof(EthernetHeader);
    ctx.tx.l3_len = sizeof(Ipv6Header);
    ctx.frame.len = static_cast<uint32_t>(sizeof(EthernetHeader) + sizeof(Ipv6Header) + l4_length);
    return Verdict::kTransmit;
}

} // namespace ringcast::net
