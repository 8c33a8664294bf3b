// The UDP and TCP checksum check, one for both (RFC 768; RFC 9293 §3.1; RFC 8200 §8.1): the
// NIC's verdict when it gave one, otherwise verified here, and the partial checksum a veth
// sender leaves.
#pragma once

#include "dataplane/net/context.h"

namespace ringcast::net {

enum class L4Checksum : uint8_t { kGood, kPartial, kBad };

// `length`: the upper-layer length the pseudo-header covers; `field`: the checksum as carried.
L4Checksum check_l4_checksum(const Context& ctx, const L4Datagram& datagram, uint8_t protocol,
                             uint32_t length, uint16_t field);

} // namespace ringcast::net
