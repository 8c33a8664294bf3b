// EDNS(0) (RFC 6891): what a query's OPT record asks for, and the OPT record of the response.
#pragma once

#include "dataplane/dns/protocol.h"
#include "dataplane/dns/responder.h"

#include <cstddef>
#include <cstdint>

namespace ringcast::dns {

struct EdnsRequest {
    bool present = false;
    uint8_t version = 0;
    bool dnssec_ok = false;                    // DO bit (RFC 3225)
    bool nsid = false;                         // NSID option present (RFC 5001)
    uint16_t udp_payload = kClassicUdpPayload; // requestor's size, never below 512
};

// Reads an OPT record's CLASS (UDP payload size), TTL (extended RCODE, version, flags) and
// RDATA (options). Returns false when the options do not exactly fill the RDATA.
bool parse_opt(uint16_t rclass, uint32_t ttl, const uint8_t* rdata, uint16_t rdlength,
               EdnsRequest& out);

// Whether the response's OPT carries NSID: asked for, and there is a PoP name to send.
inline bool sends_nsid(const ResponderConfig& config, const EdnsRequest& request) {
    return request.nsid && pop_name_length(config) > 0;
}

// Size of the OPT record write_response_opt() writes.
inline size_t response_opt_size(const ResponderConfig& config, const EdnsRequest& request) {
    return kOptRrSize +
           (sends_nsid(config, request) ? kEdnsOptionHeaderSize + pop_name_length(config) : 0);
}

// Writes the response's OPT record at `at` (response_opt_size() bytes): our UDP payload size,
// version 0, the DO bit echoed (RFC 3225 §3), the upper 8 bits of `rcode` (RFC 6891 §6.1.3),
// and NSID with the PoP name when asked for.
void write_response_opt(uint8_t* at, const ResponderConfig& config, const EdnsRequest& request,
                        uint16_t rcode);

} // namespace ringcast::dns
