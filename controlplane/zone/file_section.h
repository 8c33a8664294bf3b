// The last section of a file that is being written into its final buffer: appends go to the
// end of the buffer, offsets count from the section's start. The snapshot builder writes the
// data section this way straight into the snapshot file, so the largest part of the snapshot
// exists once, never as a section plus the file it is copied into.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ringcast::zone {

class FileSection {
  public:
    // The section starts at the current end of `file`.
    explicit FileSection(std::vector<uint8_t>& file) : file_(file), base_(file.size()) {}

    size_t base() const { return base_; }
    size_t size() const { return file_.size() - base_; }
    uint8_t* data() { return file_.data() + base_; }
    const uint8_t* data() const { return file_.data() + base_; }

    void append(std::span<const uint8_t> bytes) {
        file_.insert(file_.end(), bytes.begin(), bytes.end());
    }
    void push_back(uint8_t byte) { file_.push_back(byte); }
    // Grows (zero-filled) or shrinks the section to `size` bytes.
    void resize(size_t size) { file_.resize(base_ + size, 0); }

  private:
    std::vector<uint8_t>& file_;
    size_t base_;
};

} // namespace ringcast::zone
