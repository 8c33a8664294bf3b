// From a request-target (RFC 9112 §3.2) to the path a content snapshot is looked up by: the
// form is recognised, the query dropped, the path percent-decoded into a caller's buffer and its
// dot segments removed, so that whatever a client sends, the path it names stays under "/".
#pragma once

#include "dataplane/http/request_parser.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace ringcast::http {

enum class TargetForm : uint8_t { kOrigin, kAbsolute, kAuthority, kAsterisk };

// A path naming a directory (ending in '/') is looked up as that directory's index object.
inline constexpr std::string_view kIndexName = "index.html";
// A buffer this large holds the path of any target parse_request accepts.
inline constexpr size_t kMaxPathBytes = kMaxRequestLine + kIndexName.size();

struct ResolvedTarget {
    // 0: resolved. 400: invalid (a bad %xx escape, an encoded control byte such as %00, a
    // fragment, a malformed authority), or a form GET and HEAD cannot have (asterisk-form is for
    // OPTIONS, authority-form for CONNECT, RFC 9112 §3.2.3, §3.2.4). 414: the buffer is smaller
    // than the target's path plus kIndexName.
    uint16_t status = 0;
    TargetForm form = TargetForm::kOrigin;
    // In the caller's buffer: starts with '/', percent-decoded, no "." or ".." segments, no
    // empty segments ("//" → "/"); kIndexName appended when the path named a directory.
    std::string_view path;
    // absolute-form only (RFC 9112 §3.2.2): the target's authority, which the server uses
    // instead of the Host field; a view into the target. Empty for origin-form.
    std::string_view authority;
    bool directory_index = false; // kIndexName was appended
};

// For GET and HEAD: resolves `target` (Request::target) using `buffer` for the decoded path.
ResolvedTarget resolve_target(std::string_view target, std::span<char> buffer);

// The host a request is for (RFC 9112 §3.3): the absolute-form authority if there is one, else
// the Host field; then without its port.
std::string_view request_host(const Request& request, const ResolvedTarget& target);

// "example.com:8080" → "example.com", "[2001:db8::1]:80" → "[2001:db8::1]" (an IP-literal keeps
// its brackets, as uri-host writes it, RFC 3986 §3.2.2), "example.com" unchanged.
std::string_view host_without_port(std::string_view host);

} // namespace ringcast::http
