// SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit PRF fast on short inputs, the
// usual choice for SYN cookies and keyed ISNs (Linux uses it for both).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace ringcast {

using SipHashKey = std::array<uint64_t, 2>;

uint64_t siphash24(const SipHashKey& key, const uint8_t* data, size_t length);

} // namespace ringcast
