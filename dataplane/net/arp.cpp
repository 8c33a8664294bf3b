#include "dataplane/net/arp.h"

#include "dataplane/net/ethernet.h"

#include <cstring>

namespace ringcast::net {

using stats::Counter;
using stats::DropReason;

Verdict handle_arp(Context& ctx, uint8_t* bytes, uint32_t length) {
    if (length < sizeof(ArpPacket)) return drop(ctx, DropReason::arp_malformed);
    ArpPacket& arp = *header_at<ArpPacket>(bytes);

    // Only the one hardware/protocol pair this port speaks: Ethernet addresses for IPv4.
    if (arp.hardware_type.get() != kArpHardwareEthernet ||
        arp.protocol_type.get() != kEtherTypeIpv4 || arp.hardware_length != kArpHardwareLength ||
        arp.protocol_length != kArpProtocolLength)
        return drop(ctx, DropReason::arp_malformed);
    // Replies, RARP and InARP opcodes are for someone else; the kernel keeps its own cache.
    if (arp.opcode.get() != kArpOpRequest) return not_for_vip(ctx, DropReason::arp_not_request);

    uint32_t target_be;
    std::memcpy(&target_be, arp.target_ip.data(), sizeof(target_be));
    if (!ctx.config.vips.has_v4(target_be)) return not_for_vip(ctx, DropReason::arp_not_vip);

    // RFC 826 "swap fields": the requester becomes the target, we are the sender. Probes
    // (RFC 5227 §2.1.1, sender IP 0.0.0.0) are answered the same way, which is how an address
    // in use is defended.
    const Ipv4Address vip = arp.target_ip;
    arp.target_mac = arp.sender_mac;
    arp.target_ip = arp.sender_ip;
    arp.sender_mac = ctx.config.port_mac;
    arp.sender_ip = vip;
    arp.opcode.set(kArpOpReply);

    address_reply(*header_at<EthernetHeader>(ctx.frame.data), ctx.config.port_mac);
    // Ethernet padding of the request is not sent back; the port pads short frames.
    ctx.frame.len = sizeof(EthernetHeader) + sizeof(ArpPacket);
    ctx.counters.add(Counter::arp_replies);
    return Verdict::kTransmit;
}

} // namespace ringcast::net
