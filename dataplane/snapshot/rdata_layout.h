// Where domain names sit inside the RDATA of the types whose names a response may compress.
//
// RFC 3597 §4: only the RR types defined in RFC 1035 (NS, MD, MF, CNAME, SOA, MB, MG, MR, PTR,
// MINFO, MX) may have the names in their RDATA compressed; every other type (SRV, NAPTR, SVCB,
// DNAME, ...) is copied as it is. The snapshot verifier checks that the RDATA of these types has
// exactly this shape, so the response writer can walk the names without bounds checks.
#pragma once

#include "dataplane/dns/wire_name.h"

#include <cstddef>
#include <cstdint>

namespace ringcast::snapshot {

struct RdataNameLayout {
    uint8_t fixed_before = 0; // bytes copied before the first name (MX: preference)
    uint8_t names = 0;        // consecutive uncompressed names; 0: no compressible name
    uint8_t fixed_after = 0;  // bytes copied after the last name (SOA: five 32-bit fields)
};

inline constexpr RdataNameLayout compressible_rdata_layout(uint16_t type) {
    switch (type) {
    case 2:  // NS
    case 3:  // MD
    case 4:  // MF
    case 5:  // CNAME
    case 7:  // MB
    case 8:  // MG
    case 9:  // MR
    case 12: // PTR
        return {0, 1, 0};
    case 6: // SOA: MNAME, RNAME, SERIAL, REFRESH, RETRY, EXPIRE, MINIMUM
        return {0, 2, 20};
    case 14: // MINFO: RMAILBX, EMAILBX
        return {0, 2, 0};
    case 15: // MX: PREFERENCE, EXCHANGE
        return {2, 1, 0};
    default:
        return {};
    }
}

// Whether `size` bytes of RDATA have exactly the layout's shape: the bytes before, the names,
// each well formed and uncompressed, then the bytes after. The zone compiler checks each record
// with it, and the snapshot verifier each stored RDATA.
inline bool rdata_fits_layout(const uint8_t* rdata, size_t size, RdataNameLayout layout) {
    size_t pos = layout.fixed_before;
    for (uint8_t i = 0; i < layout.names && pos <= size; ++i) {
        const size_t len = dns::measure_name(rdata + pos, size - pos).length;
        if (len == 0) return false;
        pos += len;
    }
    return pos + layout.fixed_after == size;
}

} // namespace ringcast::snapshot
