#include "dataplane/http/request_parser.h"

#include "dataplane/http/chars.h"

#include <algorithm>
#include <array>

namespace ringcast::http {
namespace {

using chars::iequals;

// Where the scan is. Each state names the grammar element the next byte belongs to.
enum class State : uint8_t {
    kLineStart,      // before the request line: an empty line, or the method's first byte
    kLeadingCr,      // a CR before the request line: LF must follow
    kMethod,         // method = token
    kTarget,         // request-target: visible ASCII up to SP (RFC 9112 §3.2)
    kVersion,        // HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3)
    kRequestLineCr,  // CR after the version: LF must follow
    kFieldLineStart, // a field name's first byte, or the empty line that ends the section
    kFieldName,      // field-name = token, up to ":"
    kFieldLeadingOws,
    kFieldValue,
    kFieldCr,
    kEndCr, // CR of the empty line ending the header section
};

constexpr std::string_view kVersionPrefix = "HTTP/";
constexpr size_t kVersionLength = 8; // "HTTP/x.y"
constexpr uint16_t kBadRequest = 400;
constexpr uint16_t kContentTooLarge = 413;
constexpr uint16_t kUriTooLong = 414;
constexpr uint16_t kFieldsTooLarge = 431;
constexpr uint16_t kNotImplemented = 501;
constexpr uint16_t kVersionNotSupported = 505;
// Content-Length digits are accumulated saturating here: any value above kMaxRequestBody is
// refused with 413 anyway, and RFC 9110 §8.6 says to guard against overflow.
constexpr uint64_t kContentLengthSaturation = uint64_t{1} << 40;

// What the header section said about the fields the parser cares about, while scanning.
struct Fields {
    bool host_seen = false;
    bool transfer_encoding = false;
    bool content_length_seen = false;
    bool if_none_match_seen = false;
    bool if_modified_since_seen = false;
    bool range_seen = false;
    bool accept_encoding_seen = false;
    bool connection_close = false;
    bool connection_keep_alive = false;
    uint64_t content_length = 0;
};

// RFC 9112 §3.2: a Host field with an invalid value → 400.
bool valid_host(std::string_view v) {
    for (char c : v)
        if (!chars::kHostChar[static_cast<uint8_t>(c)]) return false;
    return true;
}

// Content-Length = 1*DIGIT. RFC 9112 §6.3 (5): a list of identical values ("5, 5", from a
// proxy that joined duplicate fields) may be taken as that value; anything else is invalid.
// Repeated fields go through the same rule: they must all agree.
bool add_content_length(std::string_view value, Fields& f) {
    std::string_view element;
    bool any = false;
    while (chars::next_list_element(value, element)) {
        uint64_t n = 0;
        for (char c : element) {
            if (!chars::is_digit(static_cast<uint8_t>(c))) return false;
            n = n * 10 + static_cast<uint64_t>(c - '0');
            if (n > kContentLengthSaturation) n = kContentLengthSaturation;
        }
        if (f.content_length_seen && n != f.content_length) return false; // §6.3: smuggling
        f.content_length_seen = true;
        f.content_length = n;
        any = true;
    }
    return any;
}

// Connection = #connection-option, tokens compared case-insensitively (RFC 9110 §7.6.1).
void add_connection(std::string_view value, Fields& f) {
    std::string_view option;
    while (chars::next_list_element(value, option)) {
        if (iequals(option, "close")) f.connection_close = true;
        if (iequals(option, "keep-alive")) f.connection_keep_alive = true;
    }
}

// A singleton field sent twice is ignored as a whole (left empty, `seen` stays true).
void set_once(std::string_view& slot, bool& seen, std::string_view value) {
    slot = seen ? std::string_view{} : value;
    seen = true;
}

// One complete field line. Returns 0, or the error status.
uint16_t on_field(std::string_view name, std::string_view value, Fields& f, Request& out) {
    switch (name.size()) {
    case 4:
        if (iequals(name, "host")) {
            // RFC 9112 §3.2: more than one Host, or an invalid one → 400.
            if (f.host_seen || !valid_host(value)) return kBadRequest;
            f.host_seen = true;
            out.host = value;
        }
        break;
    case 5:
        if (iequals(name, "range")) set_once(out.range, f.range_seen, value);
        break;
    case 10:
        if (iequals(name, "connection")) add_connection(value, f);
        break;
    case 13:
        if (iequals(name, "if-none-match") && !f.if_none_match_seen) {
            f.if_none_match_seen = true;
            out.if_none_match = value;
        }
        break;
    case 14:
        if (iequals(name, "content-length") && !add_content_length(value, f)) return kBadRequest;
        break;
    case 15:
        if (iequals(name, "accept-encoding"))
            set_once(out.accept_encoding, f.accept_encoding_seen, value);
        break;
    case 17:
        if (iequals(name, "transfer-encoding")) f.transfer_encoding = true;
        if (iequals(name, "if-modified-since"))
            set_once(out.if_modified_since, f.if_modified_since_seen, value);
        break;
    default:
        break;
    }
    return 0;
}

// The rules that need the whole header section. Returns 0, or the error status.
uint16_t on_header_end(const Fields& f, Request& out) {
    if (f.transfer_encoding) {
        // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing; with
        // Content-Length as well it is a smuggling attempt (§6.3 (3)). Both 400.
        if (out.version_minor == 0 || f.content_length_seen) return kBadRequest;
    }
    // RFC 9112 §3.2: an HTTP/1.1 request without Host → 400.
    if (out.version_minor == 1 && !f.host_seen) return kBadRequest;
    // Chunked bodies are not read (GET and HEAD have no use for them): RFC 9112 §6.1, a transfer
    // coding the server does not implement → 501.
    if (f.transfer_encoding) return kNotImplemented;
    if (f.content_length > kMaxRequestBody) return kContentTooLarge;
    out.content_length = static_cast<uint32_t>(f.content_length);
    out.connection = f.connection_close        ? ConnectionOption::kClose
                     : f.connection_keep_alive ? ConnectionOption::kKeepAlive
                                               : ConnectionOption::kDefault;
    return 0;
}

// The index of the first byte at or after `i` (and before `end`) not in `set`, or `end`.
size_t skip_while(const std::array<bool, 256>& set, const uint8_t* p, size_t i, size_t end) {
    while (i < end && set[p[i]])
        ++i;
    return i;
}

ParseResult error(uint16_t status) {
    return {ParseResult::Kind::kError, 0, status};
}

// Where an incomplete scan stopped, for the buffer-full answer.
enum class Part : uint8_t { kRequestLine, kFields, kBody };

struct Scan {
    ParseResult result;
    Part part;
};

Scan scan(std::span<const uint8_t> bytes, Request& out) {
    out = Request{};
    Fields f;
    const auto* p = bytes.data();
    const size_t n = bytes.size();
    auto view = [p](size_t begin, size_t end) {
        return std::string_view(reinterpret_cast<const char*>(p) + begin, end - begin);
    };
    auto fail = [](uint16_t status) { return Scan{error(status), Part::kRequestLine}; };

    State s = State::kLineStart;
    uint32_t empty_lines = 0;
    uint32_t fields = 0;
    size_t line_start = 0;  // the request line's first byte
    size_t token_start = 0; // the element being scanned: method, target, version, field name
    size_t name_end = 0, value_start = 0, value_end = 0;
    size_t i = 0;
    // The fast paths below skip runs of ordinary bytes up to these bounds, and leave the
    // byte at a bound to the limit checks at the top of the loop.
    const size_t header_limit = std::min<size_t>(n, kMaxHeaderBytes);
    size_t line_limit = 0; // set when the request line starts

    for (; i < n; ++i) {
        const uint8_t c = p[i];
        // Limits first, at the byte that crosses them, so a prefix meets them exactly where the
        // whole request does (RFC 9112 §3: a request line too long → 414; RFC 6585 §5: a header
        // section too large → 431). The line terminator is not part of the request line.
        const bool request_line_byte =
            (s == State::kMethod || s == State::kTarget || s == State::kVersion) && c != '\r' &&
            c != '\n';
        if (request_line_byte && i - line_start >= kMaxRequestLine) return fail(kUriTooLong);
        if (i >= kMaxHeaderBytes) return fail(request_line_byte ? kUriTooLong : kFieldsTooLarge);

        switch (s) {
        case State::kLineStart:
            // RFC 9112 §2.2: empty lines before the request line are skipped; a bare LF ends a
            // line as well as CRLF does.
            if (c == '\r' || c == '\n') {
                if (++empty_lines > kMaxLeadingEmptyLines) return fail(kBadRequest);
                if (c == '\r') s = State::kLeadingCr;
                break;
            }
            line_start = token_start = i;
            line_limit = std::min<size_t>(header_limit, line_start + kMaxRequestLine);
            s = State::kMethod;
            [[fallthrough]];
        case State::kMethod:
            if (chars::kTchar[c]) {
                if (i - token_start >= kMaxMethodLength) return fail(kNotImplemented);
                break;
            }
            if (c != ' ' || i == token_start) return fail(kBadRequest);
            out.method_token = view(token_start, i);
            out.method = out.method_token == "GET"    ? Method::kGet
                         : out.method_token == "HEAD" ? Method::kHead
                                                      : Method::kOther;
            token_start = i + 1;
            s = State::kTarget;
            break;
        case State::kLeadingCr:
            if (c != '\n') return fail(kBadRequest); // §2.2: a bare CR is invalid
            s = State::kLineStart;
            break;
        case State::kTarget:
            if (chars::is_vchar(c)) {
                i = skip_while(chars::kVchar, p, i, line_limit) - 1;
                break;
            }
            // §3: exactly one SP between the elements; anything else (a second SP, a control
            // byte, obs-text, the line end of an HTTP/0.9 request) is an invalid request line.
            if (c != ' ' || i == token_start) return fail(kBadRequest);
            out.target = view(token_start, i);
            token_start = i + 1;
            s = State::kVersion;
            break;
        case State::kVersion: {
            const size_t k = i - token_start;
            if (k < kVersionPrefix.size()) {
                // §2.3: HTTP-name is case-sensitive.
                if (c != static_cast<uint8_t>(kVersionPrefix[k])) return fail(kBadRequest);
                break;
            }
            if (k == kVersionPrefix.size() + 1) {
                if (c != '.') return fail(kBadRequest);
                break;
            }
            if (k < kVersionLength) {
                if (!chars::is_digit(c)) return fail(kBadRequest);
                break;
            }
            if (c != '\r' && c != '\n') return fail(kBadRequest);
            const uint8_t major = p[token_start + 5], minor = p[token_start + 7];
            // §2.3, RFC 9110 §15.6.6: a well-formed version other than 1.0 and 1.1 → 505.
            if (major != '1' || (minor != '0' && minor != '1')) return fail(kVersionNotSupported);
            out.version_minor = static_cast<uint8_t>(minor - '0');
            s = c == '\r' ? State::kRequestLineCr : State::kFieldLineStart;
            break;
        }
        case State::kRequestLineCr:
            if (c != '\n') return fail(kBadRequest);
            s = State::kFieldLineStart;
            break;
        case State::kFieldLineStart:
            if (c == '\r') {
                s = State::kEndCr;
                break;
            }
            if (c == '\n') goto header_end;
            // RFC 9112 §5.2: obs-fold (a line starting with SP or HTAB) → 400; §2.2: whitespace
            // between the request line and the first field → reject. Both fail here.
            if (!chars::kTchar[c]) return fail(kBadRequest);
            if (++fields > kMaxHeaders) return fail(kFieldsTooLarge);
            token_start = i;
            s = State::kFieldName;
            break;
        case State::kFieldName:
            if (chars::kTchar[c]) {
                i = skip_while(chars::kTchar, p, i, header_limit) - 1;
                break;
            }
            // RFC 9112 §5.1: no whitespace between the field name and the colon → 400.
            if (c != ':') return fail(kBadRequest);
            name_end = i;
            // A second Host is refused at its name, not after its value: no more bytes can
            // make the request valid, so none are waited for.
            if (f.host_seen && iequals(view(token_start, name_end), "host"))
                return fail(kBadRequest);
            value_start = value_end = i + 1;
            s = State::kFieldLeadingOws;
            break;
        case State::kFieldLeadingOws:
            if (chars::is_ows(c)) {
                value_start = value_end = i + 1;
                break;
            }
            s = State::kFieldValue;
            [[fallthrough]];
        case State::kFieldValue:
            if (chars::kFieldChar[c]) {
                // Trailing OWS is not part of the value: value_end follows the last other byte.
                const size_t end = skip_while(chars::kFieldChar, p, i, header_limit);
                for (size_t k = end; k > i; --k)
                    if (!chars::is_ows(p[k - 1])) {
                        value_end = k;
                        break;
                    }
                i = end - 1;
                break;
            }
            // RFC 9110 §5.5: CR, LF or NUL inside a value is dangerous; other controls are not
            // field-vchars either. Reject them all.
            if (c == '\r') {
                s = State::kFieldCr;
                break;
            }
            if (c != '\n') return fail(kBadRequest);
            [[fallthrough]];
        case State::kFieldCr:
            if (c != '\n') return fail(kBadRequest);
            if (const uint16_t st =
                    on_field(view(token_start, name_end), view(value_start, value_end), f, out))
                return fail(st);
            s = State::kFieldLineStart;
            break;
        case State::kEndCr:
            if (c != '\n') return fail(kBadRequest);
            goto header_end;
        }
    }
    return Scan{ParseResult{}, s == State::kLineStart || s == State::kLeadingCr ||
                                       s == State::kMethod || s == State::kTarget ||
                                       s == State::kVersion || s == State::kRequestLineCr
                                   ? Part::kRequestLine
                                   : Part::kFields};

header_end:
    if (const uint16_t st = on_header_end(f, out)) return fail(st);
    const size_t total = i + 1 + out.content_length;
    if (n < total) return Scan{ParseResult{}, Part::kBody};
    return Scan{ParseResult{ParseResult::Kind::kComplete, static_cast<uint32_t>(total), 0},
                Part::kBody};
}

} // namespace

ParseResult parse_request(std::span<const uint8_t> bytes, Request& out) {
    return scan(bytes, out).result;
}

ParseResult parse_request(std::span<const uint8_t> bytes, Request& out, uint32_t capacity) {
    const Scan sc = scan(bytes, out);
    if (sc.result.kind != ParseResult::Kind::kIncomplete || bytes.size() < capacity)
        return sc.result;
    switch (sc.part) {
    case Part::kRequestLine:
        return error(kUriTooLong);
    case Part::kFields:
        return error(kFieldsTooLarge);
    case Part::kBody:
        break;
    }
    return error(kContentTooLarge);
}

} // namespace ringcast::http
