#include "controlplane/zone/rr_types.h"
#include "controlplane/zone/zone_compiler.h"

#include <fmt/format.h>

namespace ringcast::zone {

std::string Diagnostic::to_string() const {
    return fmt::format("{}:{}: {}", file, line, message);
}

std::string type_name(uint16_t type) {
    switch (type) {
    case kTypeA:
        return "A";
    case kTypeNs:
        return "NS";
    case kTypeCname:
        return "CNAME";
    case kTypeSoa:
        return "SOA";
    case 12:
        return "PTR";
    case kTypeMx:
        return "MX";
    case kTypeTxt:
        return "TXT";
    case kTypeAaaa:
        return "AAAA";
    case kTypeSrv:
        return "SRV";
    case kTypeDname:
        return "DNAME";
    case 43:
        return "DS";
    case kTypeRrsig:
        return "RRSIG";
    case kTypeNsec:
        return "NSEC";
    case 48:
        return "DNSKEY";
    case 50:
        return "NSEC3";
    case 64:
        return "SVCB";
    case 65:
        return "HTTPS";
    case 257:
        return "CAA";
    default:
        return fmt::format("TYPE{}", type);
    }
}

} // namespace ringcast::zone
