#include "dataplane/dns/edns.h"

#include "dataplane/dns/wire.h"

#include <algorithm>

namespace ringcast::dns {

bool parse_opt(uint16_t rclass, uint32_t ttl, const uint8_t* rdata, uint16_t rdlength,
               EdnsRequest& out) {
    out.present = true;
    // RFC 6891 §6.2.3: values below 512 are treated as 512.
    out.udp_payload = std::max(rclass, kClassicUdpPayload);
    out.version = static_cast<uint8_t>(ttl >> 16);
    out.dnssec_ok = (ttl & kEdnsDoBit) != 0;

    WireReader options(rdata, rdlength);
    while (options.remaining() > 0) {
        const uint16_t code = options.u16();
        const uint16_t length = options.u16();
        options.skip(length);
        if (!options.ok()) return false;
        // RFC 5001 §2.1: the request carries an empty NSID; a non-empty one is still a request.
        if (code == kEdnsOptionNsid) out.nsid = true;
        // Unknown options are ignored (RFC 6891 §6.1.2).
    }
    return true;
}

void write_response_opt(uint8_t* at, const ResponderConfig& config, const EdnsRequest& request,
                        uint16_t rcode) {
    const bool nsid = sends_nsid(config, request);
    const uint16_t rdlength =
        nsid ? static_cast<uint16_t>(kEdnsOptionHeaderSize + pop_name_length(config)) : 0;
    const uint32_t ttl = uint32_t{static_cast<uint8_t>(rcode >> 4)} << 24 |
                         uint32_t{kEdnsVersion} << 16 | (request.dnssec_ok ? kEdnsDoBit : 0);
    at[0] = 0; // owner: the root
    store_be16(at + 1, kTypeOpt);
    store_be16(at + 3, std::max(config.max_udp_payload, kClassicUdpPayload));
    store_be32(at + 5, ttl);
    store_be16(at + 9, rdlength);
    if (nsid) {
        store_be16(at + 11, kEdnsOptionNsid);
        store_be16(at + 13, pop_name_length(config));
        std::copy_n(config.pop_name, pop_name_length(config), at + 15);
    }
}

} // namespace ringcast::dns
