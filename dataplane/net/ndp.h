// IPv6 neighbour discovery (RFC 4861): neighbour advertisements for the VIPs, so that the
// on-link router can resolve them. Nothing else of ND (router or redirect messages, a neighbour
// cache) is needed by a host that only ever replies to the sender's MAC.
#pragma once

#include "dataplane/net/ipv6.h"

namespace ringcast::net {

// Hop limit of every ND message (RFC 4861 §7.1.1: receivers discard anything else, which proves
// the message was not forwarded by a router).
inline constexpr uint8_t kNdHopLimit = 255;

// `packet` holds a neighbour solicitation whose ICMPv6 checksum has been verified. Validates it
// (RFC 4861 §7.1.1) and, when its target is a VIP, rewrites the frame into the advertisement.
Verdict answer_neighbour_solicitation(Context& ctx, Ipv6Packet& packet);

} // namespace ringcast::net
