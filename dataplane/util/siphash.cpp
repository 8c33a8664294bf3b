#include "dataplane/util/siphash.h"

#include <bit>
#include <cstring>

namespace ringcast {
namespace {

struct State {
    uint64_t v0, v1, v2, v3;

    void round() {
        v0 += v1;
        v1 = std::rotl(v1, 13);
        v1 ^= v0;
        v0 = std::rotl(v0, 32);
        v2 += v3;
        v3 = std::rotl(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = std::rotl(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = std::rotl(v1, 17);
        v1 ^= v2;
        v2 = std::rotl(v2, 32);
    }
    void absorb(uint64_t m) {
        v3 ^= m;
        round(); // c = 2 compression rounds
        round();
        v0 ^= m;
    }
};

uint64_t load_le64(const uint8_t* p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = v << 8 | p[i];
    return v;
}

} // namespace

uint64_t siphash24(const SipHashKey& key, const uint8_t* data, size_t length) {
    State s{key[0] ^ 0x736f6d6570736575ull, key[1] ^ 0x646f72616e646f6dull,
            key[0] ^ 0x6c7967656e657261ull, key[1] ^ 0x7465646279746573ull};
    const size_t whole = length & ~size_t{7};
    for (size_t i = 0; i < whole; i += 8)
        s.absorb(load_le64(data + i));
    uint64_t last = static_cast<uint64_t>(length & 0xff) << 56;
    for (size_t i = whole; i < length; ++i)
        last |= static_cast<uint64_t>(data[i]) << (8 * (i - whole));
    s.absorb(last);
    s.v2 ^= 0xff;
    for (int i = 0; i < 4; ++i) // d = 4 finalization rounds
        s.round();
    return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

} // namespace ringcast
