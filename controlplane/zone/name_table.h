// An interning table of lowercase wire names: each distinct name gets a dense id (0, 1, 2...)
// and its bytes live once in one arena. Used instead of std::map<std::string, ...> because a
// zone of a million names would otherwise cost a million allocations and pointer-chasing lookups.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace ringcast::zone {

class NameTable {
  public:
    static constexpr uint32_t kNotFound = 0xffffffffu;
    static constexpr uint64_t kEmptySlot = ~uint64_t{0}; // its low half is kNotFound

    explicit NameTable(size_t expected_names = 0);

    // Id of `name`, or kNotFound.
    uint32_t find(std::span<const uint8_t> name) const;
    // Starts loading the slot where a find() or insert() of `name` begins: in a table of a
    // million names that slot is a cache miss, which a caller walking a list of names hides by
    // prefetching a few names ahead.
    void prefetch(std::span<const uint8_t> name) const {
        __builtin_prefetch(&slots_[hash(name) & (slots_.size() - 1)]);
    }
    // Id of `name`, added when absent. `added` says which.
    uint32_t insert(std::span<const uint8_t> name, bool& added);

    std::span<const uint8_t> name(uint32_t id) const {
        return {bytes_.data() + offsets_[id], lengths_[id]};
    }
    uint32_t size() const { return static_cast<uint32_t>(offsets_.size()); }
    // Total bytes of all names, for sizing the snapshot's name section.
    size_t byte_size() const { return bytes_.size(); }
    // Bytes the table holds in use: names, their offsets and lengths, the hash slots.
    size_t memory_bytes() const {
        return bytes_.size() + offsets_.size() * sizeof(uint32_t) + lengths_.size() +
               slots_.size() * sizeof(uint64_t);
    }

    // Gives back the reserved memory past the names (huge_pages.h), once no more are added.
    void release_unused_capacity() const;

  private:
    uint64_t hash(std::span<const uint8_t> name) const;
    size_t probe(std::span<const uint8_t> name, uint64_t h) const;
    void grow();

    std::vector<uint8_t> bytes_;
    std::vector<uint32_t> offsets_;
    std::vector<uint8_t> lengths_; // a wire name is at most 255 bytes
    // (hash >> 32) << 32 | id, kEmptySlot when empty; size is a power of two. The hash's upper
    // half rules out almost every other name without reading it (three more cache misses in
    // a table of a million names: its length, its offset, its bytes).
    std::vector<uint64_t> slots_;
};

} // namespace ringcast::zone
