// The HTTP/1.1 request parser (RFC 9112): one request's start line and header section, read from
// the bytes a connection has received so far, into string_views that point into those bytes.
//
// No allocation, no exceptions, no copies. The parser keeps no state between calls: a connection
// calls it again on its whole receive buffer when more bytes arrive, and gets kIncomplete until
// the request (and any body it declares) is all there. Every check is made at a fixed byte
// position as the bytes are scanned, so a request that arrives a byte at a time gives the same
// answer as the request whole: kIncomplete for every prefix, then the same result.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace ringcast::http {

enum class Method : uint8_t { kGet, kHead, kOther }; // kOther: a valid token we don't serve (→405)
enum class ConnectionOption : uint8_t { kDefault, kClose, kKeepAlive };

inline constexpr uint32_t kMaxRequestLine = 8192; // longer request line → 414 (RFC 9112 §3)
inline constexpr uint32_t kMaxHeaderBytes = 8192; // everything before the body → 431
inline constexpr uint32_t kMaxHeaders = 64;       // more field lines → 431 (RFC 6585 §5)
// A GET or HEAD has no use for a body, but some clients send a small one; it is read and skipped
// (included in `consumed`) so the connection stays usable. A longer one is answered 413 and the
// connection closed: the engine's receive buffer (4 KiB by default) has to hold it whole.
inline constexpr uint32_t kMaxRequestBody = 1024;
// RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line. A few
// are skipped; an endless stream of them is answered 400 instead of being buffered.
inline constexpr uint32_t kMaxLeadingEmptyLines = 8;
// RFC 9112 §3: "A server that receives a method longer than any that it implements SHOULD
// respond with a 501". The longest registered method (UPDATEREDIRECTREF) has 17 characters.
inline constexpr uint32_t kMaxMethodLength = 24;

struct Request {
    Method method = Method::kOther;
    std::string_view method_token; // as sent; methods are case-sensitive (RFC 9110 §9.1)
    std::string_view target;       // the request-target, as sent (request_target.h resolves it)
    uint8_t version_minor = 1;     // HTTP/1.0 → 0, HTTP/1.1 → 1
    std::string_view host;         // Host field value, as sent (may hold :port); empty if absent
    ConnectionOption connection = ConnectionOption::kDefault;
    // Empty if absent. A repeated If-Modified-Since or Range is invalid and left empty (ignored,
    // RFC 9110 §13.1.3, §14.2). A repeated Accept-Encoding is left empty too (identity is always
    // acceptable, and the fields cannot be joined without a copy). A repeated If-None-Match keeps
    // the first field: a match in it is a match in the combined list, a miss only costs a 200.
    std::string_view if_none_match, if_modified_since, range, accept_encoding;
    uint32_t content_length = 0; // the body's length (<= kMaxRequestBody), part of `consumed`

    // RFC 9112 §9.3: "close" ends the connection after this response; otherwise HTTP/1.1 is
    // persistent by default and HTTP/1.0 only with "keep-alive".
    bool keep_alive() const {
        if (connection == ConnectionOption::kClose) return false;
        return version_minor >= 1 || connection == ConnectionOption::kKeepAlive;
    }
};

struct ParseResult {
    enum class Kind : uint8_t { kIncomplete, kComplete, kError } kind = Kind::kIncomplete;
    uint32_t consumed = 0; // kComplete: bytes of this request incl. any body, to consume
    uint16_t status = 0; // kError: 400, 413, 414, 431, 501 or 505 — the answer to send, then close
};

// Parses the first request in `bytes` (pipelined requests after it are left alone: `consumed`
// says where the next begins). `out` is filled on kComplete; on other results its contents are
// unspecified. Leading empty lines (at most kMaxLeadingEmptyLines) are part of `consumed`.
ParseResult parse_request(std::span<const uint8_t> bytes, Request& out);

// The same, for a receive buffer that holds at most `capacity` bytes: when `bytes` fills it and
// the request is still incomplete, no more can arrive, so the answer is the error for the part
// that did not fit — 414 (request line), 431 (header section) or 413 (body).
ParseResult parse_request(std::span<const uint8_t> bytes, Request& out, uint32_t capacity);

} // namespace ringcast::http
