#include "dataplane/net/burst_prefetch.h"

#include "dataplane/net/udp.h"
#include "dataplane/net/wire_headers.h"

namespace ringcast::net {
namespace {

// The UDP payload of an unfragmented IPv4 or IPv6 datagram to port 53 within `frame`, or
// nullptr. Lengths come from the IP and UDP headers, each checked against what precedes it,
// so the payload always lies inside the frame.
const uint8_t* dns_payload(const uint8_t* frame, uint32_t len, uint32_t& payload_len) {
    if (len < sizeof(EthernetHeader)) return nullptr;
    const uint8_t* const l3 = frame + sizeof(EthernetHeader);
    const uint32_t l3_len = len - static_cast<uint32_t>(sizeof(EthernetHeader));
    const uint8_t* l4 = nullptr;
    uint32_t l4_len = 0;
    switch (header_at<EthernetHeader>(frame)->ether_type.get()) {
    case kEtherTypeIpv4: {
        if (l3_len < sizeof(Ipv4Header)) return nullptr;
        const Ipv4Header& ip = *header_at<Ipv4Header>(l3);
        const uint32_t header_len = ip.header_length();
        const uint32_t total_len = ip.total_length.get();
        if (ip.protocol != kIpProtoUdp || header_len < sizeof(Ipv4Header) || total_len > l3_len ||
            total_len < header_len ||
            (ip.flags_fragment_offset.get() & (kIpv4FlagMoreFragments | kIpv4FragmentOffsetMask)))
            return nullptr;
        l4 = l3 + header_len;
        l4_len = total_len - header_len;
        break;
    }
    case kEtherTypeIpv6: {
        if (l3_len < sizeof(Ipv6Header)) return nullptr;
        const Ipv6Header& ip = *header_at<Ipv6Header>(l3);
        const uint32_t payload = ip.payload_length.get();
        if (ip.next_header != kIpProtoUdp || payload > l3_len - sizeof(Ipv6Header)) return nullptr;
        l4 = l3 + sizeof(Ipv6Header);
        l4_len = payload;
        break;
    }
    default:
        return nullptr;
    }
    if (l4_len < sizeof(UdpHeader)) return nullptr;
    const UdpHeader& udp = *header_at<UdpHeader>(l4);
    const uint32_t udp_len = udp.length.get();
    if (udp.dst_port.get() != kDnsPort || udp_len < sizeof(UdpHeader) || udp_len > l4_len)
        return nullptr;
    payload_len = udp_len - static_cast<uint32_t>(sizeof(UdpHeader));
    return l4 + sizeof(UdpHeader);
}

} // namespace

void BurstPrefetcher::add(const uint8_t* frame, uint32_t len) {
    if (!enabled_ || count_ == kMaxPrefetchBurst) return;
    // Every frame takes a slot, DNS or not, so that lookahead(i) is the i-th frame's.
    uint32_t msg_len = 0;
    const uint8_t* msg = dns_payload(frame, len, msg_len);
    dns::start_lookup_prefetch(snapshot_, msg, msg == nullptr ? 0 : msg_len, lookups_[count_++]);
}

void BurstPrefetcher::follow() {
    for (uint16_t i = 0; i < count_; ++i)
        dns::follow_index_slot(snapshot_, lookups_[i]);
    for (uint16_t i = 0; i < count_; ++i)
        dns::follow_node(snapshot_, lookups_[i]);
    for (uint16_t i = 0; i < count_; ++i)
        dns::follow_target(snapshot_, lookups_[i]);
}

} // namespace ringcast::net
