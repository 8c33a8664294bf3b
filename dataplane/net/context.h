// What every protocol stage of the pipeline works with, and how a stage gives up on a frame.
// Internal to dataplane/net.
#pragma once

#include "dataplane/net/pipeline.h"

#include <cstdint>

namespace ringcast::net {

// One frame on its way through the stages: the inputs of handle_frame, bundled.
struct Context {
    const PipelineConfig& config;
    const snapshot::View& snapshot;
    stats::LcoreCounters& counters;
    Frame& frame;
    TxOffloadRequest& tx;
    const L4Services& services;
};

// Counts `reason` and drops the frame: every stage's error exit, so kept out of the hot path.
[[gnu::cold]] Verdict drop(Context& ctx, stats::DropReason reason);

// A frame that is not for a VIP: the kernel's when the port has an exception port, else counted
// as `reason` and dropped. The one branch the exception path adds, on an outcome already decided.
[[gnu::cold]] Verdict not_for_vip(Context& ctx, stats::DropReason reason);

// An upper-layer reply written in place over the request, for the IP stage to send: the new
// upper-layer length in bytes (header included), or "no reply" with its reason already counted.
struct L4Reply {
    bool send = false;
    uint16_t length = 0;

    static L4Reply reply(uint16_t length) { return {true, length}; }
    static L4Reply none() { return {}; }
};

// Counts `reason` and returns "no reply".
[[gnu::cold]] L4Reply drop_l4(Context& ctx, stats::DropReason reason);

// The IP-layer facts an upper layer needs, whatever the IP version: where its bytes are, how
// many the IP header says there are (link padding excluded), and the sum of the source and
// destination addresses for the pseudo-header.
struct L4Datagram {
    uint8_t* data = nullptr;
    uint32_t length = 0;
    uint32_t address_sum = 0;
    bool ipv6 = false;
    const uint8_t* src = nullptr; // the IP header's addresses: 4 or 16 bytes
    const uint8_t* dst = nullptr;
};

} // namespace ringcast::net
