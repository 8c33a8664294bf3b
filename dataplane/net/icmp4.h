// ICMP (RFC 792, RFC 1122 §3.2.2.6): echo replies from a VIP. Other messages are not answered.
#pragma once

#include "dataplane/net/context.h"

namespace ringcast::net {

// On success the echo reply has been written over the request (same identifier, sequence
// number and data) with its checksum updated.
L4Reply handle_icmp4(Context& ctx, const L4Datagram& datagram);

} // namespace ringcast::net
