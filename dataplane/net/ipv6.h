// IPv6 (RFC 8200, RFC 4291): validates a packet for a VIP (or, for neighbour discovery, a VIP's
// solicited-node group), hands its payload to ICMPv6 or UDP, and sends replies.
#pragma once

#include "dataplane/net/context.h"
#include "dataplane/net/wire_headers.h"

#include <cstdint>
#include <utility>

namespace ringcast::net {

// Hop limit of every reply except neighbour discovery's (RFC 4861 requires 255 there).
inline constexpr uint8_t kReplyHopLimit = 64;

// A validated packet addressed to us. `src_unspecified` and `dst_solicited_node` are the two
// exceptions IPv6 validation lets through for neighbour discovery only; ICMPv6 drops anything
// else that carries them.
struct Ipv6Packet {
    Ipv6Header* ip = nullptr;
    L4Datagram datagram; // the upper-layer message, padding excluded
    bool src_unspecified = false;
    bool dst_solicited_node = false;
};

// `l3` points just past the Ethernet header, with `length` bytes of the frame after it
// (Ethernet padding included: the payload length says how much of it is the packet).
Verdict handle_ipv6(Context& ctx, uint8_t* l3, uint32_t length);

// Sends the packet with the addresses already in `ip`, once the upper layer has written its
// `l4_length`-byte message right after the header: payload length and hop limit set, TX
// offload lengths filled in, Ethernet addressed back to the sender.
Verdict transmit_ipv6(Context& ctx, Ipv6Header& ip, uint16_t l4_length, uint8_t hop_limit);

// The usual reply: back to the source, from the VIP it was sent to.
inline Verdict transmit_ipv6_reply(Context& ctx, Ipv6Header& ip, uint16_t l4_length) {
    std::swap(ip.src, ip.dst);
    return transmit_ipv6(ctx, ip, l4_length, kReplyHopLimit);
}

// ---- Address classes (RFC 4291 §2.4) --------------------------------------------------------

inline bool is_multicast(const Ipv6Address& a) {
    return a[0] == 0xff;
}

inline bool is_unspecified(const Ipv6Address& a) {
    static constexpr Ipv6Address kUnspecified{};
    return a == kUnspecified;
}

inline bool is_loopback(const Ipv6Address& a) {
    static constexpr Ipv6Address kLoopback{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    return a == kLoopback;
}

// ff02::1, the link-local all-nodes group (RFC 4291 §2.7.1), and its Ethernet group address
// (RFC 2464 §7: 33:33 followed by the low 32 bits of the group).
inline constexpr Ipv6Address kAllNodes{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
inline constexpr MacAddress kAllNodesMac{0x33, 0x33, 0, 0, 0, 1};

} // namespace ringcast::net
