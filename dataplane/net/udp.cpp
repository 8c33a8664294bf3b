#include "dataplane/net/udp.h"

#include "dataplane/dns/responder.h"
#include "dataplane/net/checksum.h"
#include "dataplane/net/l4_checksum.h"
#include "dataplane/net/wire_headers.h"

#include <algorithm>

namespace ringcast::net {

using stats::DropReason;

namespace {

constexpr uint32_t kMaxIpv4Payload = 0xffffu - sizeof(Ipv4Header); // 16-bit total length
constexpr uint32_t kMaxIpv6Payload = 0xffffu;                      // 16-bit payload length

// RFC 768: a computed checksum of zero is sent as all ones, since zero means "none" over IPv4
// (and is invalid over IPv6).
constexpr uint16_t kZeroChecksumOnWire = 0xffffu;

} // namespace

L4Reply handle_udp(Context& ctx, const L4Datagram& datagram) {
    if (datagram.length < sizeof(UdpHeader)) return drop_l4(ctx, DropReason::udp_truncated);
    UdpHeader& udp = *header_at<UdpHeader>(datagram.data);

    // The UDP length is the datagram's size. It may be shorter than the IP payload (the rest is
    // ignored as padding) but never longer, nor shorter than the header.
    const uint16_t udp_length = udp.length.get();
    if (udp_length < sizeof(UdpHeader) || udp_length > datagram.length)
        return drop_l4(ctx, DropReason::udp_bad_length);
    // RFC 768: 0 means no checksum; RFC 8200 §8.1: never allowed over IPv6.
    if (udp.checksum.get() == 0) {
        if (datagram.ipv6) return drop_l4(ctx, DropReason::udp_bad_checksum);
    } else {
        switch (check_l4_checksum(ctx, datagram, kIpProtoUdp, udp_length, udp.checksum.get())) {
        case L4Checksum::kGood:
            break;
        case L4Checksum::kPartial:
            ctx.counters.add(stats::Counter::udp_partial_checksums);
            break;
        case L4Checksum::kBad:
            return drop_l4(ctx, DropReason::udp_bad_checksum);
        }
    }
    // Port 0 is reserved: a reply to it could not be delivered and only reflects traffic.
    if (udp.src_port.get() == 0) return drop_l4(ctx, DropReason::udp_bad_source_port);
    if (udp.dst_port.get() != kDnsPort) return drop_l4(ctx, DropReason::udp_port_unserved);

    uint8_t* const message = datagram.data + sizeof(UdpHeader);
    const uint32_t in_buffer = ctx.frame.capacity - static_cast<uint32_t>(message - ctx.frame.data);
    const uint32_t max_message =
        (datagram.ipv6 ? kMaxIpv6Payload : kMaxIpv4Payload) - sizeof(UdpHeader);
    const dns::Transport transport = datagram.ipv6 ? dns::Transport::kUdp6 : dns::Transport::kUdp4;
    const dns::Reply answer = dns::answer_udp(
        ctx.config.dns, ctx.snapshot, ctx.counters, transport, message,
        udp_length - sizeof(UdpHeader), std::min(in_buffer, max_message), ctx.frame.lookahead);
    // The responder counts the query (dns_udp4/6_queries) and, for a drop, its reason.
    if (!answer.send) return L4Reply::none();

    const uint16_t reply_length = static_cast<uint16_t>(sizeof(UdpHeader) + answer.length);
    const uint16_t client_port = udp.src_port.get();
    udp.src_port.set(kDnsPort);
    udp.dst_port.set(client_port);
    udp.length.set(reply_length);
    // The pseudo-header sum does not change when source and destination swap.
    const uint32_t pseudo = pseudo_header_sum(datagram.address_sum, kIpProtoUdp, reply_length);
    if (ctx.config.tx_caps.udp) {
        // The NIC expects the folded, uncomplemented pseudo-header sum in the field (as DPDK's
        // rte_ipv4_phdr_cksum()/rte_ipv6_phdr_cksum() compute it) and adds the rest.
        udp.checksum.set(checksum_fold(pseudo));
        ctx.tx.udp = true;
    } else {
        udp.checksum.set(0);
        const uint16_t checksum =
            checksum_finish(checksum_add(pseudo, datagram.data, reply_length));
        udp.checksum.set(checksum == 0 ? kZeroChecksumOnWire : checksum);
    }
    return L4Reply::reply(reply_length);
}

} // namespace ringcast::net
