#include "dataplane/net/tcp.h"

#include "dataplane/net/checksum.h"
#include "dataplane/net/ipv4.h"
#include "dataplane/net/l4_checksum.h"
#include "dataplane/net/udp.h"
#include "dataplane/net/wire_headers.h"
#include "dataplane/tcp/engine.h"

#include <cstring>

namespace ringcast::net {

using stats::DropReason;

namespace {

constexpr uint8_t kTcpFlagMask = 0x3f; // FIN..URG; ECE and CWR are not negotiated

} // namespace

Verdict handle_tcp(Context& ctx, const L4Datagram& datagram) {
    if (ctx.services.tcp == nullptr) return drop(ctx, DropReason::tcp_unserved);
    if (datagram.length < sizeof(TcpHeader)) return drop(ctx, DropReason::tcp_truncated);
    const TcpHeader& header = *header_at<TcpHeader>(datagram.data);
    const uint32_t header_length = header.header_length();
    if (header_length < kTcpMinDataOffset * 4u || header_length > datagram.length)
        return drop(ctx, DropReason::tcp_bad_header);
    switch (check_l4_checksum(ctx, datagram, kIpProtoTcp, datagram.length, header.checksum.get())) {
    case L4Checksum::kGood:
        break;
    case L4Checksum::kPartial:
        ctx.counters.add(stats::Counter::tcp_partial_checksums);
        break;
    case L4Checksum::kBad:
        return drop(ctx, DropReason::tcp_bad_checksum);
    }
    if (header.src_port.get() == 0) return drop(ctx, DropReason::tcp_bad_source_port);

    tcp::Segment segment;
    const size_t address_length = datagram.ipv6 ? 16 : 4;
    std::memcpy(segment.flow.local.data(), datagram.dst, address_length);
    std::memcpy(segment.flow.peer.data(), datagram.src, address_length);
    segment.flow.local_port = header.dst_port.get();
    segment.flow.peer_port = header.src_port.get();
    segment.flow.ipv6 = datagram.ipv6;
    std::memcpy(segment.link.peer_mac.data(), ctx.frame.data + 6, 6); // the Ethernet source
    segment.link.port = ctx.services.port_index;
    segment.seq = tcp::Seq(header.seq.get());
    segment.ack = tcp::Seq(header.ack.get());
    segment.flags = header.flags & kTcpFlagMask;
    segment.window = header.window.get();
    if (!tcp::parse_options(datagram.data + sizeof(TcpHeader), header_length - sizeof(TcpHeader),
                            segment.options))
        return drop(ctx, DropReason::tcp_bad_options);
    segment.payload = datagram.data + header_length;
    segment.payload_length = datagram.length - header_length;

    if (!ctx.services.tcp->listening(segment.flow.local_port)) {
        ctx.counters.count_drop(DropReason::tcp_port_unserved);
        ctx.services.tcp->refuse(segment);
        return Verdict::kConsumed;
    }
    ctx.services.tcp->on_segment(segment, ctx.services.now_us);
    return Verdict::kConsumed;
}

uint32_t frame_tcp_segment(const tcp::OutSegment& s, const MacAddress& port_mac, uint8_t* out,
                           uint32_t capacity) {
    const uint32_t ip_length = s.flow.ipv6 ? sizeof(Ipv6Header) : sizeof(Ipv4Header);
    const uint32_t tcp_length = sizeof(TcpHeader) + s.options_length + s.total_payload();
    const uint32_t frame_length = sizeof(EthernetHeader) + ip_length + tcp_length;
    if (frame_length > capacity) return 0;

    EthernetHeader& eth = *header_at<EthernetHeader>(out);
    std::memcpy(eth.dst.data(), s.link.peer_mac.data(), 6);
    std::memcpy(eth.src.data(), port_mac.data(), 6);
    uint8_t* const l3 = out + sizeof(EthernetHeader);
    uint8_t* const l4 = l3 + ip_length;
    uint32_t address_sum;
    if (s.flow.ipv6) {
        eth.ether_type.set(kEtherTypeIpv6);
        Ipv6Header& ip = *header_at<Ipv6Header>(l3);
        ip.version_class_flow.set(uint32_t{kIpv6Version} << 28);
        ip.payload_length.set(static_cast<uint16_t>(tcp_length));
        ip.next_header = kIpProtoTcp;
        ip.hop_limit = kReplyTtl;
        std::memcpy(ip.src.data(), s.flow.local.data(), 16);
        std::memcpy(ip.dst.data(), s.flow.peer.data(), 16);
        address_sum = checksum_add_short(0, ip.src.data(), 32);
    } else {
        eth.ether_type.set(kEtherTypeIpv4);
        Ipv4Header& ip = *header_at<Ipv4Header>(l3);
        ip.version_ihl = static_cast<uint8_t>(kIpv4Version << 4 | kIpv4MinIhl);
        ip.tos = 0;
        ip.total_length.set(static_cast<uint16_t>(ip_length + tcp_length));
        ip.id.set(0); // RFC 6864 §4.1: atomic datagrams
        ip.flags_fragment_offset.set(kIpv4FlagDontFragment);
        ip.ttl = kReplyTtl;
        ip.protocol = kIpProtoTcp;
        ip.checksum.set(0);
        std::memcpy(ip.src.data(), s.flow.local.data(), 4);
        std::memcpy(ip.dst.data(), s.flow.peer.data(), 4);
        ip.checksum.set(checksum_finish(checksum_add_short(0, l3, sizeof(Ipv4Header))));
        address_sum = checksum_add_short(0, ip.src.data(), 8);
    }

    TcpHeader& tcp = *header_at<TcpHeader>(l4);
    tcp.src_port.set(s.flow.local_port);
    tcp.dst_port.set(s.flow.peer_port);
    tcp.seq.set(s.seq.raw());
    tcp.ack.set((s.flags & tcp::kAck) ? s.ack.raw() : 0);
    tcp.data_offset_reserved =
        static_cast<uint8_t>(((sizeof(TcpHeader) + s.options_length) / 4) << 4);
    tcp.flags = s.flags;
    tcp.window.set(s.window);
    tcp.checksum.set(0);
    tcp.urgent.set(0);
    uint8_t* p = l4 + sizeof(TcpHeader);
    std::memcpy(p, s.options, s.options_length);
    p += s.options_length;
    for (uint32_t i = 0; i < s.payload.count; ++i) {
        std::memcpy(p, s.payload.data[i], s.payload.length[i]);
        p += s.payload.length[i];
    }
    const uint32_t pseudo = pseudo_header_sum(address_sum, kIpProtoTcp, tcp_length);
    tcp.checksum.set(checksum_finish(checksum_add(pseudo, l4, tcp_length)));
    return frame_length;
}

} // namespace ringcast::net
