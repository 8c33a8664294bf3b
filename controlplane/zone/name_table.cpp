#include "controlplane/zone/name_table.h"

#include "controlplane/zone/huge_pages.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <xxhash.h>

namespace ringcast::zone {

namespace {

constexpr size_t kMinSlots = 16;
constexpr size_t kAverageNameBytes = 24; // arena reservation guess per expected name
constexpr uint64_t kTagMask = ~uint64_t{0} << 32;

// Keep the table at most half full so linear probes stay short.
size_t slots_for(size_t names) {
    size_t slots = kMinSlots;
    while (slots < 2 * names)
        slots <<= 1;
    return slots;
}

} // namespace

NameTable::NameTable(size_t expected_names) {
    const size_t slots = slots_for(expected_names);
    reserve_huge(slots_, slots);
    slots_.assign(slots, kEmptySlot); // within the capacity: the advised buffer stays
    reserve_huge(offsets_, expected_names);
    reserve_huge(lengths_, expected_names);
    reserve_huge(bytes_, expected_names * kAverageNameBytes);
}

uint64_t NameTable::hash(std::span<const uint8_t> name) const {
    return XXH3_64bits(name.data(), name.size());
}

size_t NameTable::probe(std::span<const uint8_t> name, uint64_t h) const {
    const size_t mask = slots_.size() - 1;
    const uint64_t tag = h & kTagMask;
    for (size_t pos = h & mask;; pos = (pos + 1) & mask) {
        const uint64_t slot = slots_[pos];
        if (slot == kEmptySlot) return pos;
        if ((slot & kTagMask) != tag) continue;
        const auto id = static_cast<uint32_t>(slot);
        if (lengths_[id] == name.size() &&
            std::memcmp(bytes_.data() + offsets_[id], name.data(), name.size()) == 0)
            return pos;
    }
}

uint32_t NameTable::find(std::span<const uint8_t> name) const {
    return static_cast<uint32_t>(slots_[probe(name, hash(name))]);
}

uint32_t NameTable::insert(std::span<const uint8_t> name, bool& added) {
    added = false;
    if (name.size() > 255) throw std::invalid_argument("wire name longer than 255 bytes");
    const uint64_t h = hash(name);
    size_t pos = probe(name, h);
    if (slots_[pos] != kEmptySlot) return static_cast<uint32_t>(slots_[pos]);
    if (2 * (offsets_.size() + 1) > slots_.size()) {
        grow();
        pos = probe(name, h);
    }
    if (bytes_.size() > UINT32_MAX - name.size()) throw std::length_error("name table full");
    const auto id = static_cast<uint32_t>(offsets_.size());
    offsets_.push_back(static_cast<uint32_t>(bytes_.size()));
    lengths_.push_back(static_cast<uint8_t>(name.size()));
    bytes_.insert(bytes_.end(), name.begin(), name.end());
    slots_[pos] = (h & kTagMask) | id;
    added = true;
    return id;
}

void NameTable::release_unused_capacity() const {
    release_unused(bytes_);
    release_unused(offsets_);
    release_unused(lengths_);
}

void NameTable::grow() {
    std::vector<uint64_t> old(slots_.size() * 2, kEmptySlot);
    old.swap(slots_);
    const size_t mask = slots_.size() - 1;
    for (const uint64_t slot : old) {
        if (slot == kEmptySlot) continue;
        const uint64_t h = hash(name(static_cast<uint32_t>(slot)));
        size_t pos = h & mask;
        while (slots_[pos] != kEmptySlot)
            pos = (pos + 1) & mask;
        slots_[pos] = slot;
    }
}

} // namespace ringcast::zone
