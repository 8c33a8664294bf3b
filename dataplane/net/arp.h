// ARP (RFC 826): answers Ethernet/IPv4 requests for a VIP.
#pragma once

#include "dataplane/net/context.h"

#include <cstdint>

namespace ringcast::net {

// `arp` points just past the Ethernet header, with `length` bytes of the frame after it.
Verdict handle_arp(Context& ctx, uint8_t* arp, uint32_t length);

} // namespace ringcast::net
