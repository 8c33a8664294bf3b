// TCP (RFC 9293) below the engine: validates a segment to a VIP, hands a served port's to the
// lcore's tcp::Engine, and frames the engine's segments for the wire. Both IP versions.
#pragma once

#include "dataplane/net/context.h"
#include "dataplane/tcp/segment.h"

namespace ringcast::net {

inline constexpr uint16_t kHttpPort = 80;

// The segment goes to the engine (kConsumed), or is dropped with its reason counted.
Verdict handle_tcp(Context& ctx, const L4Datagram& datagram);

// Writes `segment` as a whole Ethernet frame from the port (`port_mac`) to its link's peer:
// IPv4 or IPv6 header, TCP header and options, payload, checksums computed. Returns the frame
// length, or 0 if it does not fit `capacity`.
uint32_t frame_tcp_segment(const tcp::OutSegment& segment, const MacAddress& port_mac, uint8_t* out,
                           uint32_t capacity);

} // namespace ringcast::net
