#include "dataplane/net/l4_checksum.h"

#include "dataplane/net/checksum.h"

namespace ringcast::net {

L4Checksum check_l4_checksum(const Context& ctx, const L4Datagram& datagram, uint8_t protocol,
                             uint32_t length, uint16_t field) {
    if (ctx.frame.rx_checksum.l4_bad) return L4Checksum::kBad;
    if (ctx.frame.rx_checksum.l4_good) return L4Checksum::kGood;
    const uint32_t pseudo = pseudo_header_sum(datagram.address_sum, protocol, length);
    if (checksum_verifies(checksum_add(pseudo, datagram.data, length))) return L4Checksum::kGood;
    // A Linux sender with checksum offload on a veth (CHECKSUM_PARTIAL) leaves only the folded
    // pseudo-header sum in the field: the rest would have been added by a NIC that a virtual
    // link does not have. Accepted only where the port says such senders are its peers.
    if (ctx.config.accept_partial_checksums && field == checksum_fold(pseudo))
        return L4Checksum::kPartial;
    return L4Checksum::kBad;
}

} // namespace ringcast::net
