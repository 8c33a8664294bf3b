#include "controlplane/zone/name_table.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <xxhash.h>

namespace ringcast::zone {

namespace {

constexpr size_t kMinSlots = 16;
constexpr size_t kAverageNameBytes = 24; // arena reservation guess per expected name

// Keep the table at most half full so linear probes stay short.
size_t slots_for(size_t names) {
    size_t slots = kMinSlots;
    while (slots < 2 * names)
        slots <<= 1;
    return slots;
}

} // namespace

NameTable::NameTable(size_t expected_names) : slots_(slots_for(expected_names), kNotFound) {
    offsets_.reserve(expected_names);
    lengths_.reserve(expected_names);
    bytes_.reserve(expected_names * kAverageNameBytes);
}

uint64_t NameTable::hash(std::span<const uint8_t> name) const {
    return XXH3_64bits(name.data(), name.size());
}

size_t NameTable::probe(std::span<const uint8_t> name, uint64_t h) const {
    const size_t mask = slots_.size() - 1;
    for (size_t pos = h & mask;; pos = (pos + 1) & mask) {
        const uint32_t id = slots_[pos];
        if (id == kNotFound) return pos;
        if (lengths_[id] == name.size() &&
            std::memcmp(bytes_.data() + offsets_[id], name.data(), name.size()) == 0)
            return pos;
    }
}

uint32_t NameTable::find(std::span<const uint8_t> name) const {
    return slots_[probe(name, hash(name))];
}

uint32_t NameTable::insert(std::span<const uint8_t> name, bool& added) {
    added = false;
    if (name.size() > 255) throw std::invalid_argument("wire name longer than 255 bytes");
    size_t pos = probe(name, hash(name));
    if (slots_[pos] != kNotFound) return slots_[pos];
    if (2 * (offsets_.size() + 1) > slots_.size()) {
        grow();
        pos = probe(name, hash(name));
    }
    if (bytes_.size() > UINT32_MAX - name.size()) throw std::length_error("name table full");
    const auto id = static_cast<uint32_t>(offsets_.size());
    offsets_.push_back(static_cast<uint32_t>(bytes_.size()));
    lengths_.push_back(static_cast<uint8_t>(name.size()));
    bytes_.insert(bytes_.end(), name.begin(), name.end());
    slots_[pos] = id;
    added = true;
    return id;
}

void NameTable::grow() {
    std::vector<uint32_t> old(slots_.size() * 2, kNotFound);
    old.swap(slots_);
    const size_t mask = slots_.size() - 1;
    for (uint32_t id : old) {
        if (id == kNotFound) continue;
        size_t pos = hash(name(id)) & mask;
        while (slots_[pos] != kNotFound)
            pos = (pos + 1) & mask;
        slots_[pos] = id;
    }
}

} // namespace ringcast::zone
