// Character classes of the HTTP grammar (RFC 9110 §5.6.2, §5.5; RFC 5234 core rules) and the
// small case-insensitive helpers every HTTP field parser needs. Header-only, constexpr tables.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace ringcast::http::chars {

constexpr bool is_alnum(uint8_t c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" /
//         "~" / DIGIT / ALPHA                                          (RFC 9110 §5.6.2)
constexpr bool is_tchar(uint8_t c) {
    return is_alnum(c) ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

inline constexpr std::array<bool, 256> kTchar = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c)
        t[c] = is_tchar(static_cast<uint8_t>(c));
    return t;
}();

constexpr bool is_digit(uint8_t c) {
    return c >= '0' && c <= '9';
}
constexpr bool is_ows(uint8_t c) {
    return c == ' ' || c == '\t';
}
constexpr bool is_vchar(uint8_t c) {
    return c >= 0x21 && c <= 0x7e;
}
// field-vchar = VCHAR / obs-text; a field value may also hold SP and HTAB inside (RFC 9110 §5.5).
constexpr bool is_field_char(uint8_t c) {
    return is_vchar(c) || c >= 0x80 || is_ows(c);
}

inline constexpr std::array<bool, 256> kVchar = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c)
        t[c] = is_vchar(static_cast<uint8_t>(c));
    return t;
}();

inline constexpr std::array<bool, 256> kFieldChar = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c)
        t[c] = is_field_char(static_cast<uint8_t>(c));
    return t;
}();

// Host = uri-host [ ":" port ] (RFC 9110 §7.2): reg-name (unreserved, sub-delims, pct-encoded),
// IP-literal in brackets, or IPv4; no '@' (userinfo), '/', or whitespace.
constexpr bool is_host_char(uint8_t c) {
    // unreserved "-._~", sub-delims "!$&'()*+,;=", then '%' (pct-encoded), ':' (port) and
    // the brackets of an IP-literal.
    return is_alnum(c) || std::string_view("-._~!$&'()*+,;=%:[]").find(static_cast<char>(c)) !=
                              std::string_view::npos;
}

inline constexpr std::array<bool, 256> kHostChar = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c)
        t[c] = is_host_char(static_cast<uint8_t>(c));
    return t;
}();

constexpr uint8_t to_lower(uint8_t c) {
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

// Case-insensitive comparison with a lowercase literal (field names, codings, tokens).
constexpr bool iequals(std::string_view s, std::string_view lower) {
    if (s.size() != lower.size()) return false;
    for (size_t i = 0; i < s.size(); ++i)
        if (to_lower(static_cast<uint8_t>(s[i])) != static_cast<uint8_t>(lower[i])) return false;
    return true;
}

constexpr std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && is_ows(static_cast<uint8_t>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && is_ows(static_cast<uint8_t>(s.back())))
        s.remove_suffix(1);
    return s;
}

// Splits a comma-separated list (RFC 9110 §5.6.1) one element at a time, OWS-trimmed. Empty
// elements are skipped, as §5.6.1 tells a recipient to do. Returns false when none are left.
constexpr bool next_list_element(std::string_view& list, std::string_view& element) {
    while (!list.empty()) {
        const size_t comma = list.find(',');
        element = trim_ows(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (!element.empty()) return true;
    }
    return false;
}

} // namespace ringcast::http::chars
