// The RR types and classes the zone compiler treats specially, with their IANA numbers.
#pragma once

#include <cstdint>
#include <string>

namespace ringcast::zone {

inline constexpr uint16_t kClassIn = 1;

inline constexpr uint16_t kTypeA = 1;
inline constexpr uint16_t kTypeNs = 2;
inline constexpr uint16_t kTypeCname = 5;
inline constexpr uint16_t kTypeSoa = 6;
inline constexpr uint16_t kTypeMx = 15;
inline constexpr uint16_t kTypeTxt = 16;
inline constexpr uint16_t kTypeAaaa = 28;
inline constexpr uint16_t kTypeSrv = 33;
inline constexpr uint16_t kTypeDname = 39;
inline constexpr uint16_t kTypeRrsig = 46;
inline constexpr uint16_t kTypeNsec = 47;
inline constexpr uint16_t kTypeNsec3 = 50;
inline constexpr uint16_t kTypeNsec3param = 51;
inline constexpr uint16_t kTypeSvcb = 64;
inline constexpr uint16_t kTypeHttps = 65;

// Offset of the target name inside the RDATA of types whose answers get additional-section
// processing (RFC 1035 §3.3.9 MX: after PREFERENCE; RFC 2782 SRV: after priority, weight, port;
// RFC 9460 §2.2 SVCB and HTTPS: after SvcPriority).
inline constexpr size_t kMxTargetOffset = 2;
inline constexpr size_t kSrvTargetOffset = 6;
inline constexpr size_t kSvcbTargetOffset = 2;

// Mnemonic for diagnostics; RFC 3597 "TYPEnnn" for the ones without a name here.
std::string type_name(uint16_t type);

} // namespace ringcast::zone
