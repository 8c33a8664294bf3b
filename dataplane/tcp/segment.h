// A TCP segment as the engine sees it: parsed and checksum-verified by dataplane/net on the way
// in, and described field by field on the way out for dataplane/net to frame.
#pragma once

#include "dataplane/tcp/flow.h"
#include "dataplane/tcp/options.h"
#include "dataplane/tcp/send_queue.h"
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

// The payload is up to kMaxPayloadPieces pieces sent back to back (send_queue.h): ring bytes
// that wrap around the ring's end, and bodies referenced where they lie.
struct OutSegment {
    FlowKey flow;
    Link link;
    Seq seq;
    Seq ack;
    uint16_t window = 0;
    uint8_t flags = 0;
    uint8_t options_length = 0;
    uint8_t options[kMaxOptionsLength] = {};
    PayloadPieces payload;

    uint32_t total_payload() const { return payload.total; }
};

// Where the engine's segments go (dataplane/net frames them onto the port, tests collect them).
class SegmentSink {
  public:
    virtual ~SegmentSink() = default;
    virtual void send(const OutSegment& segment) = 0;
};

} // namespace ringcast::tcp
