#include "dataplane/http/request_target.h"

#include "dataplane/http/chars.h"

#include <cstring>

namespace ringcast::http {
namespace {

constexpr uint16_t kBadRequest = 400;
constexpr uint16_t kUriTooLong = 414;

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// RFC 3986 §2.1: pct-encoded = "%" HEXDIG HEXDIG. Writes the decoded `path` to `out` (as long
// as `path` at most); returns its length, or -1 for a malformed escape or an encoded control
// byte: a %00 would end the name for any C API behind the lookup, and the content compiler
// serves no name with a control character in it (site_walker.cpp), so none can be found anyway
// — refusing them keeps them out of logs too.
ptrdiff_t percent_decode(std::string_view path, char* out) {
    size_t w = 0;
    for (size_t r = 0; r < path.size(); ++r) {
        if (path[r] != '%') {
            out[w++] = path[r];
            continue;
        }
        if (r + 2 >= path.size()) return -1;
        const int hi = hex_value(path[r + 1]), lo = hex_value(path[r + 2]);
        if (hi < 0 || lo < 0) return -1;
        const int c = hi * 16 + lo;
        if (c < 0x20 || c == 0x7f) return -1;
        out[w++] = static_cast<char>(c);
        r += 2;
    }
    return static_cast<ptrdiff_t>(w);
}

// RFC 3986 §5.2.4 remove_dot_segments, in place, on a decoded path that starts with '/':
// "." segments vanish, ".." removes the segment before it and never goes above the root, and
// empty segments are dropped too, so each object has one name. Returns the new length; sets
// `directory` when the path ends in a segment that names a directory ("/", "/.", "/..").
size_t remove_dot_segments(char* buf, size_t len, bool& directory) {
    size_t w = 0; // output so far: "" or "/seg/seg", no trailing '/'
    directory = false;
    size_t r = 0;
    while (r < len) {
        const size_t start = r + 1; // buf[r] == '/'
        size_t end = start;
        while (end < len && buf[end] != '/')
            ++end;
        const std::string_view seg(buf + start, end - start);
        const bool last = end == len;
        if (seg.empty() || seg == ".") {
            directory = last;
        } else if (seg == "..") {
            while (w > 0 && buf[w - 1] != '/')
                --w;
            if (w > 0) --w;
            directory = last;
        } else {
            buf[w++] = '/';
            std::memmove(buf + w, buf + start, seg.size()); // w <= start: never overtakes
            w += seg.size();
            directory = false;
        }
        r = end;
    }
    if (w == 0) directory = true;
    if (directory) buf[w++] = '/';
    return w;
}

// RFC 9112 §3.2.2 absolute-form for the schemes this server answers: "http" or "https"
// (case-insensitive, RFC 3986 §3.1), then "//" authority path-abempty.
bool split_absolute(std::string_view target, std::string_view& authority, std::string_view& rest) {
    const size_t colon = target.find("://");
    if (colon == std::string_view::npos) return false;
    const std::string_view scheme = target.substr(0, colon);
    if (!chars::iequals(scheme, "http") && !chars::iequals(scheme, "https")) return false;
    const std::string_view after = target.substr(colon + 3);
    const size_t end = after.find_first_of("/?");
    authority = after.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : after.substr(end);
    return true;
}

bool valid_authority(std::string_view a) {
    // RFC 9110 §4.2.1: an http URI with an empty host is invalid; §4.2.4: userinfo ('@') is
    // an error for a recipient. Otherwise the characters of uri-host [":" port].
    if (a.empty() || a.front() == ':') return false;
    for (char c : a)
        if (!chars::kHostChar[static_cast<uint8_t>(c)]) return false;
    return true;
}

} // namespace

ResolvedTarget resolve_target(std::string_view target, std::span<char> buffer) {
    ResolvedTarget out;
    std::string_view path_and_query;
    if (!target.empty() && target.front() == '/') {
        out.form = TargetForm::kOrigin; // §3.2.1
        path_and_query = target;
    } else if (target == "*") {
        out.form = TargetForm::kAsterisk; // §3.2.4: OPTIONS only
        out.status = kBadRequest;
        return out;
    } else if (std::string_view authority, rest; split_absolute(target, authority, rest)) {
        out.form = TargetForm::kAbsolute;
        if (!valid_authority(authority)) {
            out.status = kBadRequest;
            return out;
        }
        out.authority = authority;
        path_and_query = rest;
    } else {
        out.form = TargetForm::kAuthority; // §3.2.3: CONNECT only (or no form at all)
        out.status = kBadRequest;
        return out;
    }

    // A fragment is never part of a request-target (§3.2: origin-form = absolute-path
    // [ "?" query ]); the query is no part of the object's name.
    if (path_and_query.find('#') != std::string_view::npos) {
        out.status = kBadRequest;
        return out;
    }
    std::string_view raw = path_and_query.substr(0, path_and_query.find('?'));
    if (raw.empty()) raw = "/"; // absolute-form with an empty path-abempty (§3.2.1 says "/")

    if (buffer.size() < raw.size() + kIndexName.size()) {
        out.status = kUriTooLong;
        return out;
    }
    const ptrdiff_t decoded = percent_decode(raw, buffer.data());
    if (decoded < 0) {
        out.status = kBadRequest;
        return out;
    }
    // Decoding happens before dot segments are removed, so "%2e%2e" and "%2f" cannot smuggle a
    // ".." or a '/' past the normalisation: the lookup sees exactly the name normalised here.
    bool directory = false;
    size_t len = remove_dot_segments(buffer.data(), static_cast<size_t>(decoded), directory);
    if (directory) {
        std::memcpy(buffer.data() + len, kIndexName.data(), kIndexName.size());
        len += kIndexName.size();
        out.directory_index = true;
    }
    out.path = std::string_view(buffer.data(), len);
    return out;
}

std::string_view request_host(const Request& request, const ResolvedTarget& target) {
    return host_without_port(target.form == TargetForm::kAbsolute ? target.authority
                                                                  : request.host);
}

std::string_view host_without_port(std::string_view host) {
    if (!host.empty() && host.front() == '[') {
        const size_t close = host.find(']');
        return close == std::string_view::npos ? host : host.substr(0, close + 1);
    }
    return host.substr(0, host.find(':'));
}

} // namespace ringcast::http
