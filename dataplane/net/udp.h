// UDP (RFC 768; over IPv6, RFC 8200 §8.1): validates a datagram to a VIP and hands port 53 to
// the DNS responder. Works for both IP versions; the IP stage sends the reply.
#pragma once

#include "dataplane/net/context.h"

namespace ringcast::net {

inline constexpr uint16_t kDnsPort = 53;

// On success the UDP reply (header included) has been written over `datagram.data`: ports
// swapped, length and checksum (or its offload request) set.
L4Reply handle_udp(Context& ctx, const L4Datagram& datagram);

} // namespace ringcast::net
