// Anonymous memory that starts on a 2 MiB boundary and is advised for transparent huge pages:
// what the snapshot image lives in (dataplane/snapshot/file_image.h), and what
// bench/micro/memory_latency measures, so that the benchmark sees the same pages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ringcast {

inline constexpr size_t kHugePageSize = size_t{2} << 20; // x86-64 and arm64 PMD-level page

class HugePageMemory {
  public:
    HugePageMemory() = default;
    ~HugePageMemory();
    HugePageMemory(const HugePageMemory&) = delete;
    HugePageMemory& operator=(const HugePageMemory&) = delete;

    // `bytes` of zeroed, writable memory. Huge pages are only advised: where THP is off, or
    // for less than one huge page (which fits the TLB anyway and would waste the rest of the
    // page), it is ordinary pages. `name` labels the mapping in /proc/PID/maps on kernels built
    // with CONFIG_ANON_VMA_NAME. On failure returns false and sets `error` to one line.
    bool allocate(size_t bytes, const char* name, std::string& error);
    bool make_read_only(std::string& error);

    uint8_t* data() const { return data_; }

  private:
    uint8_t* data_ = nullptr;
    void* mapping_ = nullptr; // the whole mapping, alignment slack included
    size_t mapping_size_ = 0;
};

} // namespace ringcast
