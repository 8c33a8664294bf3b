// Writing a response's status line and header section (RFC 9112 §4, §5) into a caller's buffer:
// the per-response fields (Date, Content-Length, Content-Range, Connection, the PoP's name) around
// the variant's precomputed ones. No allocation; the buffer's size bounds it.
#pragma once

#include "dataplane/http/http_date.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ringcast::http {

// Room for any head the responder writes: the precomputed variant headers are bounded by the
// content compiler (Cache-Control from config included), the rest is a few short fields.
inline constexpr size_t kMaxResponseHead = 4096;
// The field naming the PoP that answered: operators look at it to see where anycast sent a client.
inline constexpr std::string_view kPopHeader = "X-PoP";

class ResponseHead {
  public:
    ResponseHead(char* buffer, size_t capacity) : data_(buffer), capacity_(capacity) {}

    void status_line(uint16_t code, std::string_view reason);
    void field(std::string_view name, std::string_view value);
    void number_field(std::string_view name, uint64_t value);
    // "Content-Range: bytes first-last/size" (§14.4), or "bytes */size" for a 416.
    void content_range(uint64_t first, uint64_t last, uint64_t size);
    void unsatisfied_range(uint64_t size);
    // Lines already ending in CRLF (a variant's precomputed headers).
    void raw(std::string_view lines);
    void end(); // the empty line

    // False when something did not fit: the head is unusable.
    bool ok() const { return !overflow_; }
    std::string_view bytes() const { return {data_, length_}; }

  private:
    void append(std::string_view s);

    char* data_;
    size_t capacity_;
    size_t length_ = 0;
    bool overflow_ = false;
};

// The Date field's value (§6.6.1), formatted once per second rather than per response.
class DateCache {
  public:
    std::string_view at(int64_t unix_seconds) {
        if (unix_seconds != second_) {
            format_http_date(unix_seconds, text_);
            second_ = unix_seconds;
        }
        return {text_, kHttpDateLength};
    }

  private:
    int64_t second_ = -1;
    char text_[kHttpDateLength] = {};
};

} // namespace ringcast::http
