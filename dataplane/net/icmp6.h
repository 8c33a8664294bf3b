// ICMPv6 (RFC 4443): echo replies from a VIP, and neighbour discovery (ndp.h). Other messages
// (router advertisements, MLD, errors...) are for the kernel or nobody and are not answered.
#pragma once

#include "dataplane/net/ipv6.h"

namespace ringcast::net {

Verdict handle_icmp6(Context& ctx, Ipv6Packet& packet);

} // namespace ringcast::net
