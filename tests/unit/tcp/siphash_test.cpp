#include "dataplane/util/siphash.h"

#include <catch2/catch.hpp>
#include <vector>

namespace ringcast {

// The reference vectors of the SipHash paper (Appendix A and the authors' vectors.h): key
// 00 01 .. 0f, message 00 01 .. (n-1).
TEST_CASE("SipHash-2-4 matches the reference vectors", "[tcp][siphash]") {
    const SipHashKey key = {0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull};
    std::vector<uint8_t> message(64);
    for (size_t i = 0; i < message.size(); ++i)
        message[i] = static_cast<uint8_t>(i);
    CHECK(siphash24(key, message.data(), 0) == 0x726fdb47dd0e0e31ull);
    CHECK(siphash24(key, message.data(), 1) == 0x74f839c593dc67fdull);
    CHECK(siphash24(key, message.data(), 7) == 0xab0200f58b01d137ull);
    CHECK(siphash24(key, message.data(), 8) == 0x93f5f5799a932462ull);
    CHECK(siphash24(key, message.data(), 15) == 0xa129ca6149be45e5ull);
    CHECK(siphash24(key, message.data(), 63) == 0x958a324ceb064572ull);
}

} // namespace ringcast
