#include "controlplane/content/response_headers.h"

#include <ctime>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <stdexcept>

namespace ringcast::content {
namespace {

std::string_view encoding_token(Encoding encoding) {
    switch (encoding) {
    case Encoding::gzip:
        return "gzip";
    case Encoding::br:
        return "br";
    case Encoding::identity:
        break;
    }
    return "identity";
}

} // namespace

std::string entity_tag(std::span<const uint8_t> body) {
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(body.data(), body.size(), digest, &size, EVP_sha256(), nullptr) != 1 ||
        size < kEtagHashBytes)
        throw std::runtime_error("SHA-256 failed (OpenSSL EVP)");
    std::string tag = "\"";
    for (size_t i = 0; i < kEtagHashBytes; ++i)
        tag += fmt::format("{:02x}", digest[i]);
    return tag + "\"";
}

std::string http_date(int64_t unix_seconds) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const time_t t = static_cast<time_t>(unix_seconds);
    tm when{};
    gmtime_r(&t, &when);
    return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDays[when.tm_wday],
                       when.tm_mday, kMonths[when.tm_mon], when.tm_year + 1900, when.tm_hour,
                       when.tm_min, when.tm_sec);
}

VariantHeaders variant_headers(std::string_view media_type, Encoding encoding,
                               std::string_view etag, int64_t last_modified_unix,
                               std::string_view cache_control, bool several_variants) {
    VariantHeaders out;
    std::string& b = out.block;
    b += fmt::format("Content-Type: {}\r\n", media_type);
    if (encoding != Encoding::identity)
        b += fmt::format("Content-Encoding: {}\r\n", encoding_token(encoding));
    b += "ETag: ";
    out.etag_at = b.size();
    out.etag_size = etag.size();
    b += etag;
    b += "\r\n";
    b += fmt::format("Last-Modified: {}\r\n", http_date(last_modified_unix));
    if (!cache_control.empty()) b += fmt::format("Cache-Control: {}\r\n", cache_control);
    // RFC 9110 §12.5.5: a response chosen by Accept-Encoding says so, for caches.
    if (several_variants) b += "Vary: Accept-Encoding\r\n";
    b += "Accept-Ranges: bytes\r\n";
    return out;
}

} // namespace ringcast::content
