// The hash both name indexes of a snapshot are built with (format.h, "IndexSlot"). The builder
// and the reader must agree on it bit for bit, so it lives in one place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <xxhash.h>

namespace ringcast::snapshot {

// XXH3-64 of a lowercase uncompressed wire name. The slot to probe first is
// (hash & (slots - 1)); the slot's tag is (hash >> 32).
inline uint64_t index_hash(const uint8_t* lower_name, size_t len, uint64_t seed) {
    return XXH3_64bits_withSeed(lower_name, len, seed);
}

inline uint32_t index_tag(uint64_t hash) {
    return static_cast<uint32_t>(hash >> 32);
}

} // namespace ringcast::snapshot
