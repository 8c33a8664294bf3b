// Transparent huge pages for the compiler's large buffers. A 1M-record compile touches ~200 MiB
// of fresh memory; in 4 KiB pages that is ~50k page faults, a fifth of the compile's time on
// these (virtualised) machines (bench/RESULTS.md, zone compiler memory and speed). Asked for
// with madvise(MADV_HUGEPAGE), the same memory faults in 2 MiB at a time.
//
// Only reserved capacity is advised, before it is written. A huge page becomes resident whole
// when its first byte is written, so once a buffer is complete, release_unused() gives back the
// part of its last huge page past its end (up to 2 MiB a buffer: about 6 MiB of a 1M compile's
// peak, which must stay within 3x the snapshot).
#pragma once

#include <cstddef>
#include <vector>

namespace ringcast::zone {

inline constexpr size_t kHugePageBytes = size_t{2} << 20; // x86-64 and arm64 (4 KiB granule)

// Advises the huge pages wholly inside [data, data + bytes). Best effort: a kernel without
// transparent huge pages (or with them off) keeps small pages, and nothing else changes.
void advise_huge_pages(const void* data, size_t bytes);
// Returns the whole small pages in [data + used, data + capacity) to the system (they read as
// zeros if touched again).
void release_unused(const void* data, size_t used, size_t capacity);

// v.reserve(count), then advises the capacity (only when it is large enough to hold huge pages).
template <typename T>
void reserve_huge(std::vector<T>& v, size_t count) {
    v.reserve(count);
    advise_huge_pages(v.data(), v.capacity() * sizeof(T));
}

// For a vector filled after reserve_huge() that will not grow again.
template <typename T>
void release_unused(const std::vector<T>& v) {
    release_unused(v.data(), v.size() * sizeof(T), v.capacity() * sizeof(T));
}

} // namespace ringcast::zone
