// HTTP-date (RFC 9110 §5.6.7): parsing all three forms a recipient must accept, and writing the
// one a sender must use, IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"). No locale, no time
// zone, no allocation: civil-date arithmetic on unix seconds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ringcast::http {

inline constexpr size_t kHttpDateLength = 29; // IMF-fixdate, always exactly this long
// format_http_date clamps to the years IMF-fixdate's four digits can write.
inline constexpr int64_t kLatestHttpDate = 253402300799; // 9999-12-31 23:59:59 GMT

// Parses IMF-fixdate, or the obsolete rfc850-date ("Sunday, 06-Nov-94 08:49:37 GMT") or
// asctime-date ("Sun Nov  6 08:49:37 1994"), into seconds since the epoch. `now_unix` places
// rfc850's two-digit year: a year more than 50 years ahead of now is read as the century before
// (§5.6.7). False for anything else, or an impossible date (Feb 30, 25:00). The day name is
// checked for form, not against the date.
bool parse_http_date(std::string_view text, int64_t now_unix, int64_t& out);

// Writes `unix` as IMF-fixdate into exactly kHttpDateLength bytes (no terminating NUL).
// Times before the epoch are written as the epoch, after kLatestHttpDate as kLatestHttpDate.
void format_http_date(int64_t unix, char (&out)[kHttpDateLength]);

} // namespace ringcast::http
