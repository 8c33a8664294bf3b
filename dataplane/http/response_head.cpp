#include "dataplane/http/response_head.h"

#include <charconv>
#include <cstring>

namespace ringcast::http {
namespace {

constexpr size_t kMaxDecimalDigits = 20; // UINT64_MAX

std::string_view decimal(uint64_t value, char (&buffer)[kMaxDecimalDigits]) {
    const auto result = std::to_chars(buffer, buffer + kMaxDecimalDigits, value);
    return {buffer, static_cast<size_t>(result.ptr - buffer)};
}

} // namespace

void ResponseHead::append(std::string_view s) {
    if (overflow_ || s.size() > capacity_ - length_) {
        overflow_ = true;
        return;
    }
    std::memcpy(data_ + length_, s.data(), s.size());
    length_ += s.size();
}

void ResponseHead::status_line(uint16_t code, std::string_view reason) {
    char digits[kMaxDecimalDigits];
    append("HTTP/1.1 ");
    append(decimal(code, digits));
    append(" ");
    append(reason);
    append("\r\n");
}

void ResponseHead::field(std::string_view name, std::string_view value) {
    append(name);
    append(": ");
    append(value);
    append("\r\n");
}

void ResponseHead::number_field(std::string_view name, uint64_t value) {
    char digits[kMaxDecimalDigits];
    field(name, decimal(value, digits));
}

void ResponseHead::content_range(uint64_t first, uint64_t last, uint64_t size) {
    char digits[kMaxDecimalDigits];
    append("Content-Range: bytes ");
    append(decimal(first, digits));
    append("-");
    append(decimal(last, digits));
    append("/");
    append(decimal(size, digits));
    append("\r\n");
}

void ResponseHead::unsatisfied_range(uint64_t size) {
    char digits[kMaxDecimalDigits];
    append("Content-Range: bytes */");
    append(decimal(size, digits));
    append("\r\n");
}

void ResponseHead::raw(std::string_view lines) {
    append(lines);
}

void ResponseHead::end() {
    append("\r\n");
}

} // namespace ringcast::http
