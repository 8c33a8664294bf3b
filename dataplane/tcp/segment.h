// A TCP segment as the engine sees it: parsed and checksum-verified by dataplane/net on the way
// in, and described field by field on the way out for dataplane/net to frame.
#pragma once

#include "dataplane/tcp/flow.h"
#include "dataplane/tcp/options.h"
#include "dataplane/tcp/seq.h"

#include <cstdint>

namespace ringcast::tcp {

// RFC 9293 §3.1 control bits.
inline constexpr uint8_t kFin = 0x01;
inline constexpr uint8_t kSyn = 0x02;
inline constexpr uint8_t kRst = 0x04;
inline constexpr uint8_t kPsh = 0x08;
inline constexpr uint8_t kAck = 0x10;

struct Segment {
    FlowKey flow;
    Link link;
    Seq seq;
    Seq ack;
    uint16_t window = 0; // as on the wire, unscaled
    uint8_t flags = 0;
    Options options;
    const uint8_t* payload = nullptr;
    uint32_t payload_length = 0;

    bool has(uint8_t flag) const { return (flags & flag) != 0; }
    // Sequence space the segment occupies: its data plus one for SYN and for FIN.
    uint32_t sequence_length() const {
        return payload_length + (has(kSyn) ? 1 : 0) + (has(kFin) ? 1 : 0);
    }
};

// Up to two payload pieces, sent back to back: the bytes the engine copied into the
// connection's send buffer wrap around its end, so a segment may take a tail and a head.
struct OutSegment {
    FlowKey flow;
    Link link;
    Seq seq;
    Seq ack;
    uint16_t window = 0;
    uint8_t flags = 0;
    uint8_t options_length = 0;
    uint8_t options[kMaxOptionsLength] = {};
    const uint8_t* payload[2] = {nullptr, nullptr};
    uint32_t payload_length[2] = {0, 0};

    uint32_t total_payload() const { return payload_length[0] + payload_length[1]; }
};

// Where the engine's segments go (dataplane/net frames them onto the port, tests collect them).
class SegmentSink {
  public:
    virtual ~SegmentSink() = default;
    virtual void send(const OutSegment& segment) = 0;
};

} // namespace ringcast::tcp
