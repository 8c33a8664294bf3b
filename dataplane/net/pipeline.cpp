// handle_frame: the Ethernet stage, which every frame enters, and the drop exits every stage
// leaves by.
#include "dataplane/net/pipeline.h"

#include "dataplane/net/arp.h"
#include "dataplane/net/context.h"
#include "dataplane/net/ethernet.h"
#include "dataplane/net/ipv4.h"
#include "dataplane/net/ipv6.h"

namespace ringcast::net {

using stats::DropReason;

Verdict drop(Context& ctx, DropReason reason) {
    ctx.counters.count_drop(reason);
    return Verdict::kDrop;
}

Verdict not_for_vip(Context& ctx, DropReason reason) {
    if (ctx.config.exception_path) return Verdict::kToKernel;
    return drop(ctx, reason);
}

L4Reply drop_l4(Context& ctx, DropReason reason) {
    ctx.counters.count_drop(reason);
    return L4Reply::none();
}

Verdict handle_frame(const PipelineConfig& config, const snapshot::View& snapshot,
                     stats::LcoreCounters& counters, Frame& frame, TxOffloadRequest& tx,
                     const L4Services& services) {
    tx = TxOffloadRequest{};
    Context ctx{config, snapshot, counters, frame, tx, services};

    if (frame.len < sizeof(EthernetHeader)) return drop(ctx, DropReason::eth_truncated);
    EthernetHeader& eth = *header_at<EthernetHeader>(frame.data);
    if (!accepts_destination(eth.dst, config.port_mac))
        return drop(ctx, DropReason::eth_not_for_us);
    // A group address is never a valid source (IEEE Std 802, clause 8), and a reply to it would go
    // to every member of the group.
    if (is_group_mac(eth.src)) return drop(ctx, DropReason::eth_bad_source);

    uint8_t* const l3 = frame.data + sizeof(EthernetHeader);
    const uint32_t l3_length = frame.len - static_cast<uint32_t>(sizeof(EthernetHeader));
    switch (eth.ether_type.get()) {
    case kEtherTypeIpv4:
        return handle_ipv4(ctx, l3, l3_length);
    case kEtherTypeIpv6:
        return handle_ipv6(ctx, l3, l3_length);
    case kEtherTypeArp:
        return handle_arp(ctx, l3, l3_length);
    default: // 802.1Q/802.1ad tags included: VLANs are expected to be stripped by the NIC
        return not_for_vip(ctx, DropReason::eth_unsupported_type);
    }
}

} // namespace ringcast::net
