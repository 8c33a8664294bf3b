// Splits a byte stream into lines with a cap on line length, so a peer that never sends a newline
// cannot make the reader grow without bound. Used for admin clients, ringcastctl and the
// dataplane control connection.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ringcast::admin {

class LineBuffer {
  public:
    explicit LineBuffer(size_t max_line) : max_line_(max_line) {}

    void append(std::string_view bytes) { data_.append(bytes); }

    enum class Next { line, need_more, too_long };
    // Takes the next complete line (newline and a trailing '\r' removed) into `line`.
    // too_long: no newline within max_line bytes; the buffer is unusable from then on.
    Next next(std::string& line);

    size_t pending() const { return data_.size() - start_; }
    bool empty() const { return pending() == 0; }

  private:
    size_t max_line_;
    std::string data_;
    size_t start_ = 0; // consumed prefix, compacted lazily
};

} // namespace ringcast::admin
