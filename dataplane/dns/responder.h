// The authoritative DNS responder: turns a query into its response in place, in the buffer the
// query arrived in. No allocation, no syscalls, bounded work per query.
#pragma once

#include "dataplane/dns/limits.h"
#include "dataplane/dns/prefetch.h"
#include "dataplane/snapshot/reader.h"
#include "dataplane/stats/counters.h"

#include <cstdint>

namespace ringcast::dns {

struct ResponderConfig {
    // NSID (RFC 5001) and CHAOS TXT id.server./hostname.bind. answer with this name.
    char pop_name[kMaxPopNameLength + 1] = {};
    uint8_t pop_name_len = 0;
    // Upper bound on the UDP response size whatever EDNS size the client advertises.
    uint16_t max_udp_payload = kDefaultMaxUdpPayload;
};

// The PoP name's length as written on the wire: pop_name_len, capped at kMaxPopNameLength.
inline uint8_t pop_name_length(const ResponderConfig& config) {
    return config.pop_name_len < kMaxPopNameLength ? config.pop_name_len
                                                   : static_cast<uint8_t>(kMaxPopNameLength);
}

enum class Transport : uint8_t { kUdp4, kUdp6, kTcp4, kTcp6 };

inline constexpr bool is_tcp(Transport t) {
    return t == Transport::kTcp4 || t == Transport::kTcp6;
}
// RFC 1035 §4.2.2: a message over TCP has a 16-bit length prefix.
inline constexpr uint32_t kMaxTcpMessage = 65535;

struct Reply {
    bool send = false;   // false: drop (the reason is already counted)
    uint16_t length = 0; // response length in bytes, starting at the query's first byte
};

// `msg` holds `len` bytes of a UDP payload addressed to port 53, or one length-prefixed message
// from a TCP stream (without its prefix); up to `capacity` bytes at `msg` may be written. Over
// TCP the response is bounded only by `capacity`, not by an EDNS or configured UDP size. Returns
// the response, written over the query, or a drop. `lookahead`, when it describes this message,
// spares reading its question again (dns/prefetch.h).
Reply answer_udp(const ResponderConfig& config, const snapshot::View& snapshot,
                 stats::LcoreCounters& counters, Transport transport, uint8_t* msg, uint32_t len,
                 uint32_t capacity, const QueryLookahead* lookahead = nullptr);

} // namespace ringcast::dns
