// The checks both of ringcast's image files begin with: the zone snapshot (snapshot/format.h)
// and the content snapshot (content/format.h) share their header's first fields (magic, format
// version, byte order mark, header size, file size) and a table of aligned sections. Each
// verifier keeps the checks of its own content; these say the file is one to read at all.
// Control path only: a failure comes back as a formatted message, empty means it passed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace ringcast::image {

// printf-style one-line message for a verifier's error.
template <typename... Args>
std::string format(const char* fmt, Args... args) {
    char buf[256];
    std::snprintf(buf, sizeof buf, fmt, args...);
    return buf;
}

inline unsigned long long ull(uint64_t v) {
    return static_cast<unsigned long long>(v);
}

// What a format fixes: its magic, the one version this dataplane reads, the byte order mark,
// and its name in messages ("snapshot", "content snapshot").
struct ImageFormat {
    const char (&magic)[8];
    uint32_t version;
    uint32_t byte_order_mark;
    std::string_view what;
};

// The header of `size` bytes at `base`: aligned for the Header, large enough, this format and
// version, this host's byte order, and the size it states is the file's.
template <typename Header>
std::string check_header(const uint8_t* base, size_t size, const ImageFormat& f) {
    if (reinterpret_cast<uintptr_t>(base) % alignof(Header) != 0)
        return format("%.*s image is not %zu-byte aligned in memory", int(f.what.size()),
                      f.what.data(), alignof(Header));
    if (size < sizeof(Header))
        return format("truncated: file has %zu bytes, a header needs %zu", size, sizeof(Header));
    const auto* h = reinterpret_cast<const Header*>(base);
    if (std::memcmp(h->magic, f.magic, sizeof f.magic) != 0)
        return format("bad magic: not a ringcast %.*s", int(f.what.size()), f.what.data());
    if (h->format_version != f.version)
        return format("format version %u, this dataplane reads %u", h->format_version, f.version);
    if (h->byte_order != f.byte_order_mark)
        return format("byte order mark 0x%08x: written on a host of another byte order",
                      h->byte_order);
    if (h->header_size < sizeof(Header) || h->header_size > size)
        return format("header size %u invalid (at least %zu, at most the file's %zu)",
                      h->header_size, sizeof(Header), size);
    if (h->file_size != size)
        return format("%s: header says %llu bytes, file has %zu",
                      h->file_size > size ? "truncated" : "size mismatch", ull(h->file_size), size);
    return {};
}

enum class SectionSize { exact, at_least };

// Section `name` of a file of `file_size` bytes whose header is `header_size` bytes: aligned,
// after the header and inside the file, and of `expected` bytes (or more, with at_least).
template <typename Section>
std::string check_section(const Section& s, std::string_view name, uint64_t header_size,
                          size_t file_size, uint32_t alignment, uint64_t expected,
                          SectionSize rule = SectionSize::exact) {
    if (s.offset % alignment != 0)
        return format("section %.*s at offset %llu is not %u-byte aligned", int(name.size()),
                      name.data(), ull(s.offset), alignment);
    if (s.offset < header_size || s.offset > file_size || s.size > file_size - s.offset)
        return format("section %.*s [%llu, +%llu) lies outside the file (%zu bytes)",
                      int(name.size()), name.data(), ull(s.offset), ull(s.size), file_size);
    if (rule == SectionSize::exact ? s.size != expected : s.size < expected)
        return format("section %.*s has %llu bytes, expected %llu", int(name.size()), name.data(),
                      ull(s.size), ull(expected));
    return {};
}

} // namespace ringcast::image
