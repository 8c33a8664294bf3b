// How the TCP engine's segments reach the wire on one lcore: each framed into a fresh mbuf and
// staged per port, then sent with one TX burst per port when the lcore flushes (after its RX
// burst and after its timer sweep).
#pragma once

#include "dataplane/runtime/lcore_loop.h"
#include "dataplane/tcp/segment.h"

#include <array>
#include <rte_mbuf.h>
#include <vector>

namespace ringcast::runtime {

class MbufSegmentSink : public tcp::SegmentSink {
  public:
    MbufSegmentSink(SharedState& state, uint16_t queue, stats::LcoreCounters& counters);

    void send(const tcp::OutSegment& segment) override;
    void flush();

  private:
    struct Staged {
        std::array<rte_mbuf*, kBurstSize> mbufs{};
        uint16_t count = 0;
    };
    void flush_port(size_t port);

    SharedState& state_;
    uint16_t queue_;
    stats::LcoreCounters& counters_;
    std::vector<Staged> staged_; // one per port
};

} // namespace ringcast::runtime
