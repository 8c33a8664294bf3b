// DNS wire constants: header layout and flags (RFC 1035 §4.1.1), opcodes, RCODEs, types and
// classes the responder handles, and the protocol's size limits.
#pragma once

#include "dataplane/dns/limits.h"

#include <cstddef>
#include <cstdint>

namespace ringcast::dns {

// ---- Header (RFC 1035 §4.1.1) ----
inline constexpr size_t kHeaderSize = 12;
inline constexpr size_t kOffsetId = 0;
inline constexpr size_t kOffsetFlags1 = 2; // QR | OPCODE(4) | AA | TC | RD
inline constexpr size_t kOffsetFlags2 = 3; // RA | Z | AD | CD | RCODE(4)
inline constexpr size_t kOffsetQdcount = 4;
inline constexpr size_t kOffsetAncount = 6;
inline constexpr size_t kOffsetNscount = 8;
inline constexpr size_t kOffsetArcount = 10;

inline constexpr uint8_t kFlag1Qr = 0x80;
inline constexpr uint8_t kFlag1OpcodeMask = 0x78;
inline constexpr unsigned kFlag1OpcodeShift = 3;
inline constexpr uint8_t kFlag1Aa = 0x04;
inline constexpr uint8_t kFlag1Tc = 0x02;
inline constexpr uint8_t kFlag1Rd = 0x01;
inline constexpr uint8_t kFlag2Ra = 0x80;
inline constexpr uint8_t kFlag2Ad = 0x20;
inline constexpr uint8_t kFlag2Cd = 0x10;
inline constexpr uint8_t kFlag2RcodeMask = 0x0f;

inline constexpr uint8_t kOpcodeQuery = 0;

// ---- RCODEs (RFC 1035 §4.1.1, RFC 6891 §6.1.3 for the extended ones) ----
inline constexpr uint8_t kRcodeNoError = 0;
inline constexpr uint8_t kRcodeFormErr = 1;
inline constexpr uint8_t kRcodeServFail = 2;
inline constexpr uint8_t kRcodeNxDomain = 3;
inline constexpr uint8_t kRcodeNotImp = 4;
inline constexpr uint8_t kRcodeRefused = 5;
inline constexpr uint8_t kRcodeYxDomain = 6;  // RFC 6672 §2.2: a DNAME substitution overflowed
inline constexpr uint16_t kRcodeBadVers = 16; // upper 8 bits in OPT, lower 4 in the header

// ---- Types and classes ----
inline constexpr uint16_t kTypeA = 1;
inline constexpr uint16_t kTypeNs = 2;
inline constexpr uint16_t kTypeCname = 5;
inline constexpr uint16_t kTypeSoa = 6;
inline constexpr uint16_t kTypeTxt = 16;
inline constexpr uint16_t kTypeAaaa = 28;
inline constexpr uint16_t kTypeDname = 39;
inline constexpr uint16_t kTypeOpt = 41;
inline constexpr uint16_t kTypeDs = 43;
inline constexpr uint16_t kTypeRrsig = 46;
inline constexpr uint16_t kTypeNsec = 47;
inline constexpr uint16_t kTypeNsec3 = 50;
inline constexpr uint16_t kTypeNsec3param = 51;
inline constexpr uint16_t kTypeIxfr = 251;
inline constexpr uint16_t kTypeAxfr = 252;
inline constexpr uint16_t kTypeAny = 255;

// RFC 4034 §3.1: an RRSIG's RDATA starts with the type covered (2 bytes), algorithm (1),
// labels (1), then the Original TTL (4).
inline constexpr size_t kRrsigOriginalTtlOffset = 4;

inline constexpr uint16_t kClassIn = 1;
inline constexpr uint16_t kClassCh = 3;
inline constexpr uint16_t kClassAny = 255;

// ---- Names (RFC 1035 §2.3.4, §4.1.4) ----
// kMaxNameLength, kMaxLabelLength, kMaxLabels: dns/limits.h.
inline constexpr uint8_t kLabelPointerBits = 0xc0;
inline constexpr uint16_t kMaxPointerOffset = 0x3fff; // 14-bit compression pointer

// ---- Fixed parts of records ----
inline constexpr size_t kQuestionFixedSize = 4; // QTYPE, QCLASS
inline constexpr size_t kRrFixedSize = 10;      // TYPE, CLASS, TTL, RDLENGTH

// ---- EDNS (RFC 6891) ----
inline constexpr uint8_t kEdnsVersion = 0;
inline constexpr uint16_t kEdnsOptionNsid = 3; // RFC 5001
inline constexpr uint16_t kEdnsDoBit = 0x8000; // in the low 16 bits of the OPT TTL (RFC 3225)
inline constexpr size_t kOptRrSize = 1 + kRrFixedSize; // root owner + fixed part, no options
inline constexpr size_t kEdnsOptionHeaderSize = 4;     // OPTION-CODE, OPTION-LENGTH

} // namespace ringcast::dns
