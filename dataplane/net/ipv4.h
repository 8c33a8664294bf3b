// IPv4 (RFC 791, RFC 1122 §3.2.1): validates a datagram for a VIP, hands its payload to ICMP or
// UDP, and turns the header around for the reply.
#pragma once

#include "dataplane/net/context.h"
#include "dataplane/net/wire_headers.h"

#include <cstdint>

namespace ringcast::net {

// Time to live of every reply (RFC 1700's recommended default, as Linux and BSD use).
inline constexpr uint8_t kReplyTtl = 64;

// `l3` points just past the Ethernet header, with `length` bytes of the frame after it
// (Ethernet padding included: the IPv4 total length says how much of it is the datagram).
Verdict handle_ipv4(Context& ctx, uint8_t* l3, uint32_t length);

// Sends `ip`'s datagram back to its source once the upper layer has written its reply of
// `l4_length` bytes at the position it was read from: addresses swapped, a 20-byte header
// (options are not echoed, see ipv4.cpp), TTL kReplyTtl, DF set, lengths and header checksum
// (or its offload request) updated, Ethernet addressed back to the sender.
Verdict transmit_ipv4(Context& ctx, Ipv4Header& ip, uint16_t l4_length);

} // namespace ringcast::net
