#include "controlplane/content/media_types.h"

#include <algorithm>
#include <cstddef>

namespace ringcast::content {
namespace {

struct MediaType {
    std::string_view extension; // lowercase, without the dot
    std::string_view type;
};

// Text types name their charset: a site's text is served as UTF-8 whatever a browser would
// guess. JSON and the XML types are left without one (RFC 8259 §11 defines no charset
// parameter; XML declares its own encoding).
constexpr MediaType kMediaTypes[] = {
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"}, // RFC 9239 §3
    {"mjs", "text/javascript; charset=utf-8"},
    {"txt", "text/plain; charset=utf-8"},
    {"csv", "text/csv; charset=utf-8"},
    {"md", "text/markdown; charset=utf-8"},
    {"ics", "text/calendar; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"xml", "application/xml"},
    {"rss", "application/rss+xml"},
    {"atom", "application/atom+xml"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"ico", "image/vnd.microsoft.icon"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
    {"mp4", "video/mp4"},
    {"webm", "video/webm"},
    {"mp3", "audio/mpeg"},
    {"ogg", "audio/ogg"},
    {"wav", "audio/wav"},
    {"pdf", "application/pdf"},
    {"wasm", "application/wasm"},
    {"zip", "application/zip"},
    {"gz", "application/gzip"},
    {"tar", "application/x-tar"},
};

constexpr size_t kLongestExtension = 16; // longer than any in the table

} // namespace

std::string_view media_type_for(std::string_view file_name) {
    const size_t dot = file_name.rfind('.');
    if (dot == std::string_view::npos || dot + 1 == file_name.size()) return kDefaultMediaType;
    const std::string_view ext = file_name.substr(dot + 1);
    if (ext.size() > kLongestExtension) return kDefaultMediaType;
    char lower[kLongestExtension];
    std::transform(ext.begin(), ext.end(), lower, [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    const std::string_view key(lower, ext.size());
    for (const MediaType& m : kMediaTypes)
        if (m.extension == key) return m.type;
    return kDefaultMediaType;
}

} // namespace ringcast::content
