#include "dataplane/net/icmp6.h"

#include "dataplane/net/checksum.h"
#include "dataplane/net/ndp.h"

namespace ringcast::net {

using stats::Counter;
using stats::DropReason;

namespace {

// RFC 4443 §4.1/§4.2: the reply carries the request's identifier, sequence number and data.
Verdict answer_echo(Context& ctx, Ipv6Packet& packet) {
    L4Datagram& datagram = packet.datagram;
    if (datagram.length < sizeof(IcmpEchoHeader)) return drop(ctx, DropReason::icmp6_truncated);
    IcmpEchoHeader& echo = *header_at<IcmpEchoHeader>(datagram.data);
    if (echo.code != 0) return drop(ctx, DropReason::icmp6_unsupported_type);

    // Only the type word changes (the pseudo-header's addresses swap, which leaves their sum
    // alone), so the checksum is updated incrementally (RFC 1624).
    echo.type = kIcmp6EchoReply;
    echo.checksum.set(checksum_adjust(echo.checksum.get(),
                                      icmp_type_code_word(kIcmp6EchoRequest, echo.code),
                                      icmp_type_code_word(kIcmp6EchoReply, echo.code)));
    ctx.counters.add(Counter::icmp6_echo_replies);
    return transmit_ipv6_reply(ctx, *packet.ip, static_cast<uint16_t>(datagram.length));
}

} // namespace

Verdict handle_icmp6(Context& ctx, Ipv6Packet& packet) {
    const L4Datagram& datagram = packet.datagram;
    if (datagram.length < sizeof(Icmp6Header)) return drop(ctx, DropReason::icmp6_truncated);
    // RFC 4443 §2.3: the checksum covers the pseudo-header (RFC 8200 §8.1) and the message. It
    // is always verified here: NICs report L4 checksum status for TCP/UDP/SCTP only.
    const uint32_t pseudo = pseudo_header_sum(datagram.address_sum, kIpProtoIcmp6, datagram.length);
    if (!checksum_verifies(checksum_add(pseudo, datagram.data, datagram.length)))
        return drop(ctx, DropReason::icmp6_bad_checksum);

    const uint8_t type = header_at<Icmp6Header>(datagram.data)->type;
    if (type == kIcmp6NeighbourSolicitation) return answer_neighbour_solicitation(ctx, packet);
    // The neighbour-discovery-only exceptions IPv6 validation let through end here.
    if (packet.src_unspecified) return drop(ctx, DropReason::ipv6_bad_source);
    if (packet.dst_solicited_node) return not_for_vip(ctx, DropReason::ipv6_not_vip);
    if (type == kIcmp6EchoRequest) return answer_echo(ctx, packet);
    return drop(ctx, DropReason::icmp6_unsupported_type);
}

} // namespace ringcast::net
