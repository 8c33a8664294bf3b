// A snapshot file read into private memory that the packet path can walk cheaply.
//
// A large zone's lookups land on random pages of the snapshot. Mapped from the page cache, those
// are 4 KiB pages: a 100 MB snapshot spans 25k of them, far beyond the TLB, so nearly every
// lookup adds a page walk (itself a chain of cache misses) to its data misses. Copied into
// anonymous memory aligned to and advised for transparent huge pages, the same snapshot spans
// about 50 2 MiB pages, which stay in the TLB. Where THP is off the copy still works, on 4 KiB
// pages.
#pragma once

#include "dataplane/util/huge_page_memory.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace ringcast::snapshot {

class FileImage {
  public:
    // Reads all of `path`, a zone snapshot. On failure returns false and sets `error` to one line
    // (without the path) saying why.
    bool load(const std::string& path, std::string& error);
    // The same for any image of at least `min_size` bytes (its header), its memory named
    // `mapping_name` where the kernel names anonymous mappings (the content snapshot's).
    bool load(const std::string& path, size_t min_size, const char* mapping_name,
              std::string& error);

    FileImage() = default;
    FileImage(const FileImage&) = delete;
    FileImage& operator=(const FileImage&) = delete;

    const uint8_t* data() const { return memory_.data(); }
    size_t size() const { return size_; }

  private:
    HugePageMemory memory_;
    size_t size_ = 0;
};

} // namespace ringcast::snapshot
