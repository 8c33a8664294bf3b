#include "dataplane/net/icmp4.h"

#include "dataplane/net/checksum.h"
#include "dataplane/net/wire_headers.h"

namespace ringcast::net {

using stats::Counter;
using stats::DropReason;

L4Reply handle_icmp4(Context& ctx, const L4Datagram& datagram) {
    if (datagram.length < sizeof(IcmpEchoHeader)) return drop_l4(ctx, DropReason::icmp4_truncated);
    // The ICMP checksum covers the whole message and no pseudo-header. NICs report L4 checksum
    // status for TCP/UDP/SCTP only, so it is always verified here.
    if (!checksum_verifies(checksum_add(0, datagram.data, datagram.length)))
        return drop_l4(ctx, DropReason::icmp4_bad_checksum);

    IcmpEchoHeader& icmp = *header_at<IcmpEchoHeader>(datagram.data);
    if (icmp.type != kIcmp4EchoRequest || icmp.code != 0)
        return drop_l4(ctx, DropReason::icmp4_unsupported_type);

    // RFC 792: the reply is the request with the type changed. Only that word of the message
    // changes, so the checksum is updated incrementally (RFC 1624) instead of re-summing the
    // data, which may be a whole MTU.
    icmp.type = kIcmp4EchoReply;
    icmp.checksum.set(checksum_adjust(icmp.checksum.get(),
                                      icmp_type_code_word(kIcmp4EchoRequest, icmp.code),
                                      icmp_type_code_word(kIcmp4EchoReply, icmp.code)));
    ctx.counters.add(Counter::icmp4_echo_replies);
    return L4Reply::reply(static_cast<uint16_t>(datagram.length));
}

} // namespace ringcast::net
