#include "dataplane/net/ndp.h"

#include "dataplane/net/checksum.h"
#include "dataplane/net/ethernet.h"

namespace ringcast::net {

using stats::Counter;
using stats::DropReason;

namespace {

// The advertisement sent: the fixed part and one Target Link-Layer Address option.
constexpr uint32_t kAdvertisementLength = sizeof(NdNeighbourMessage) + sizeof(NdLinkLayerOption);
constexpr uint32_t kAdvertisementFrameLength =
    sizeof(EthernetHeader) + sizeof(Ipv6Header) + kAdvertisementLength;

struct SolicitationOptions {
    bool well_formed = false;
    bool has_source_link_layer = false;
};

// RFC 4861 §4.6 and §7.1.1: every option has a nonzero length and lies within the message. The
// loop advances at least one 8-byte unit per option, so it is bounded by the message length.
SolicitationOptions parse_options(const uint8_t* options, uint32_t length) {
    SolicitationOptions result;
    while (length > 0) {
        if (length < sizeof(NdOptionHeader)) return result;
        const NdOptionHeader& option = *reinterpret_cast<const NdOptionHeader*>(options);
        const uint32_t option_length = option.length_units * kNdOptionUnit;
        if (option_length == 0 || option_length > length) return result;
        if (option.type == kNdOptionSourceLinkLayer) result.has_source_link_layer = true;
        options += option_length;
        length -= option_length;
    }
    result.well_formed = true;
    return result;
}

// RFC 4861 §7.1.1, the checks not already made (the checksum by ICMPv6, the source by IPv6).
bool solicitation_valid(const Ipv6Packet& packet) {
    const L4Datagram& datagram = packet.datagram;
    if (packet.ip->hop_limit != kNdHopLimit) return false;
    if (datagram.length < sizeof(NdNeighbourMessage)) return false;
    const NdNeighbourMessage& ns = *header_at<NdNeighbourMessage>(datagram.data);
    if (ns.code != 0 || is_multicast(ns.target)) return false;
    const SolicitationOptions options =
        parse_options(datagram.data + sizeof(NdNeighbourMessage),
                      datagram.length - static_cast<uint32_t>(sizeof(NdNeighbourMessage)));
    if (!options.well_formed) return false;
    // Duplicate address detection (RFC 4862 §5.4.2): from ::, to a solicited-node group, and
    // with no link-layer address to cache.
    if (packet.src_unspecified && (!packet.dst_solicited_node || options.has_source_link_layer))
        return false;
    return true;
}

} // namespace

Verdict answer_neighbour_solicitation(Context& ctx, Ipv6Packet& packet) {
    if (!solicitation_valid(packet)) return drop(ctx, DropReason::nd_malformed);
    NdNeighbourMessage& message = *header_at<NdNeighbourMessage>(packet.datagram.data);
    if (!ctx.config.vips.has_v6(message.target.data()))
        return not_for_vip(ctx, DropReason::nd_not_vip);
    // A solicitation without options (24 bytes, as DAD sends) grows by the 8-byte option.
    if (ctx.frame.capacity < kAdvertisementFrameLength) return drop(ctx, DropReason::nd_no_room);

    // RFC 4861 §7.2.4. The advertisement comes from the target VIP and goes back to the
    // solicitation's source, or to all nodes when that was :: (a DAD probe, which can only
    // learn of a duplicate by multicast).
    Ipv6Header& ip = *packet.ip;
    const bool dad = packet.src_unspecified;
    ip.dst = dad ? kAllNodes : ip.src;
    ip.src = message.target;

    // R clear: the responder is not a router. S set for a unicast reply to a solicitation, clear
    // for DAD. O set: a VIP is anycast across PoPs but has a single owner on this link, the
    // case §7.2.4 says SHOULD override a cached entry (were several hosts on one link to serve
    // the same VIP, O would have to be cleared instead).
    message.type = kIcmp6NeighbourAdvertisement;
    message.code = 0;
    message.flags.set(dad ? kNdFlagOverride : kNdFlagSolicited | kNdFlagOverride);
    // message.target stays as it is: the VIP asked for, at the same offset as in the request.
    NdLinkLayerOption& option =
        *header_at<NdLinkLayerOption>(packet.datagram.data + sizeof(NdNeighbourMessage));
    option.type = kNdOptionTargetLinkLayer;
    option.length_units = sizeof(NdLinkLayerOption) / kNdOptionUnit;
    option.address = ctx.config.port_mac;

    // Addresses and length both changed: sum afresh; the message is 32 bytes.
    message.checksum.set(0);
    const uint32_t addresses =
        checksum_add(checksum_add(0, ip.src.data(), ip.src.size()), ip.dst.data(), ip.dst.size());
    const uint32_t pseudo = pseudo_header_sum(addresses, kIpProtoIcmp6, kAdvertisementLength);
    message.checksum.set(
        checksum_finish(checksum_add(pseudo, packet.datagram.data, kAdvertisementLength)));

    const Verdict verdict = transmit_ipv6(ctx, ip, kAdvertisementLength, kNdHopLimit);
    if (dad) header_at<EthernetHeader>(ctx.frame.data)->dst = kAllNodesMac;
    ctx.counters.add(Counter::nd_advertisements);
    return verdict;
}

} // namespace ringcast::net
