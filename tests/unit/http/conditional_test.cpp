#include "dataplane/http/conditional.h"

#include <catch2/catch.hpp>
#include <ctime>
#include <string>

namespace ringcast::http {
namespace {

constexpr int64_t kNov6_1994 = 784111777; // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110 §5.6.7)
constexpr int64_t kNow = 1796601600;      // Mon, 07 Dec 2026 00:00:00 GMT

std::string format(int64_t t) {
    char out[kHttpDateLength];
    format_http_date(t, out);
    return std::string(out, sizeof out);
}

bool parses_to(std::string_view text, int64_t expected) {
    int64_t t = -1;
    return parse_http_date(text, kNow, t) && t == expected;
}

bool rejects(std::string_view text) {
    int64_t t = 0;
    return !parse_http_date(text, kNow, t);
}

} // namespace

TEST_CASE("the three HTTP-date forms (RFC 9110 §5.6.7)", "[http][date]") {
    CHECK(parses_to("Sun, 06 Nov 1994 08:49:37 GMT", kNov6_1994));
    CHECK(parses_to("Sunday, 06-Nov-94 08:49:37 GMT", kNov6_1994));
    CHECK(parses_to("Sun Nov  6 08:49:37 1994", kNov6_1994));
    CHECK(parses_to("Sun Nov 06 08:49:37 1994", kNov6_1994));
    CHECK(parses_to("Thu, 01 Jan 1970 00:00:00 GMT", 0));
    CHECK(parses_to("Mon, 07 Dec 2026 00:00:00 GMT", kNow));
    CHECK(parses_to("Tue, 29 Feb 2000 12:00:00 GMT", 951825600));
    CHECK(parses_to("Fri, 31 Dec 9999 23:59:59 GMT", kLatestHttpDate));
    CHECK(parses_to("Wed, 31 Dec 1969 23:59:59 GMT", -1));
    // The day name is checked for form only.
    CHECK(parses_to("Mon, 06 Nov 1994 08:49:37 GMT", kNov6_1994));
}

TEST_CASE("rfc850's two-digit year: more than 50 years ahead is the last century", "[http][date]") {
    int64_t t = 0;
    // Now is 2026: "76" → 2076 (50 years ahead), "77" → 1977.
    REQUIRE(parse_http_date("Tuesday, 01-Jan-76 00:00:00 GMT", kNow, t));
    CHECK(t == 3345062400);
    REQUIRE(parse_http_date("Saturday, 01-Jan-77 00:00:00 GMT", kNow, t));
    CHECK(t == 220924800);
    REQUIRE(parse_http_date("Saturday, 01-Jan-00 00:00:00 GMT", kNow, t));
    CHECK(t == 946684800);
}

TEST_CASE("what is not an HTTP-date", "[http][date]") {
    CHECK(rejects(""));
    CHECK(rejects("Sun, 06 Nov 1994 08:49:37 UTC"));
    CHECK(rejects("Sun, 06 Nov 1994 08:49:37 GMT "));
    CHECK(rejects(" Sun, 06 Nov 1994 08:49:37 GMT"));
    CHECK(rejects("Sun, 6 Nov 1994 08:49:37 GMT"));
    CHECK(rejects("sun, 06 Nov 1994 08:49:37 GMT")); // %s: case-sensitive
    CHECK(rejects("Sun, 06 nov 1994 08:49:37 GMT"));
    CHECK(rejects("Sun, 06 Nov 94 08:49:37 GMT"));
    CHECK(rejects("Sun, 31 Nov 1994 08:49:37 GMT")); // no such day
    CHECK(rejects("Sun, 29 Feb 1900 08:49:37 GMT")); // 1900 is no leap year
    CHECK(rejects("Sun, 00 Nov 1994 08:49:37 GMT"));
    CHECK(rejects("Sun, 06 Nov 1994 24:00:00 GMT"));
    CHECK(rejects("Sun, 06 Nov 1994 08:60:00 GMT"));
    CHECK(rejects("Sun, 06 Nov 1994 08:49:61 GMT"));
    CHECK(rejects("Sun, 06 Nov 1994 8:49:37 GMT"));
    CHECK(rejects("Sun, 06 Nov 1994 08:49:37"));
    CHECK(rejects("Sunday, 06-Nov-1994 08:49:37 GMT"));
    CHECK(rejects("Sun, 06-Nov-94 08:49:37 GMT"));
    CHECK(rejects("Sun Nov 6 08:49:37 1994"));
    CHECK(rejects("Sun Nov  6 08:49:37 1994 GMT"));
    CHECK(rejects("1994-11-06T08:49:37Z"));
    CHECK(rejects("784111777"));
}

TEST_CASE("format_http_date writes IMF-fixdate", "[http][date]") {
    CHECK(format(kNov6_1994) == "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(format(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK(format(kNow) == "Mon, 07 Dec 2026 00:00:00 GMT");
    CHECK(format(951825600) == "Tue, 29 Feb 2000 12:00:00 GMT");
    CHECK(format(-5) == "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK(format(INT64_MAX) == "Fri, 31 Dec 9999 23:59:59 GMT");
    // Round trip against gmtime_r and the parser, one sample every ~11 days over 130 years.
    for (int64_t t = 0; t < 4102444800; t += 999999) {
        const std::string s = format(t);
        int64_t back = 0;
        REQUIRE(parse_http_date(s, kNow, back));
        CHECK(back == t);
        const time_t tt = static_cast<time_t>(t);
        tm g{};
        gmtime_r(&tt, &g);
        char expected[64];
        strftime(expected, sizeof expected, "%a, %d %b %Y %H:%M:%S GMT", &g);
        REQUIRE(s == expected);
    }
}

TEST_CASE("If-None-Match: *, lists, weak comparison (RFC 9110 §13.1.2)", "[http][conditional]") {
    const std::string_view etag = "\"abc123\"";
    CHECK(if_none_match_matches("\"abc123\"", etag));
    CHECK(if_none_match_matches("W/\"abc123\"", etag));
    CHECK(if_none_match_matches("\"abc123\"", "W/\"abc123\""));
    CHECK(if_none_match_matches("\"x\", \"abc123\"", etag));
    CHECK(if_none_match_matches("\"x\",W/\"abc123\" ,", etag));
    CHECK(if_none_match_matches(" , \"abc123\"", etag));
    CHECK(if_none_match_matches("*", etag));
    CHECK(if_none_match_matches(" * ", etag));
    CHECK(if_none_match_matches("\"a,b\", \"abc123\"", etag)); // a comma inside a tag
    CHECK_FALSE(if_none_match_matches("\"abc1234\"", etag));
    CHECK_FALSE(if_none_match_matches("\"ABC123\"", etag));   // opaque-tags are case-sensitive
    CHECK_FALSE(if_none_match_matches("abc123", etag));       // no quotes
    CHECK_FALSE(if_none_match_matches("w/\"abc123\"", etag)); // W/ is case-sensitive
    CHECK_FALSE(if_none_match_matches("\"abc123", etag));
    CHECK_FALSE(if_none_match_matches("\"x\"\"abc123\"", etag));
    CHECK_FALSE(if_none_match_matches("\"x y\", \"abc123\"", etag)); // SP is no etagc
    CHECK_FALSE(if_none_match_matches("*, \"abc123\"", etag));
    CHECK_FALSE(if_none_match_matches("", etag));
    CHECK_FALSE(if_none_match_matches("\"\"", etag));
}

TEST_CASE("evaluate_conditional: If-None-Match wins over If-Modified-Since (§13.2.2)",
          "[http][conditional]") {
    const std::string_view etag = "\"e1\"";
    const int64_t modified = kNov6_1994;
    Request r;
    CHECK(evaluate_conditional(r, etag, modified, kNow) == Conditional::kProceed);

    r.if_none_match = "\"e1\"";
    CHECK(evaluate_conditional(r, etag, modified, kNow) == Conditional::kNotModified);
    r.if_none_match = "\"e0\"";
    CHECK(evaluate_conditional(r, etag, modified, kNow) == Conditional::kProceed);
    // With If-None-Match present, a matching If-Modified-Since changes nothing.
    r.if_modified_since = "Mon, 07 Dec 2026 00:00:00 GMT";
    CHECK(evaluate_conditional(r, etag, modified, kNow) == Conditional::kProceed);

    r.if_none_match = {};
    CHECK(evaluate_conditional(r, etag, modified, kNow) == Conditional::kNotModified);
    r.if_modified_since = "Sun, 06 Nov 1994 08:49:37 GMT"; // equal: not modified since
    CHECK(evaluate_conditional(r, etag, modified, kNow) == Conditional::kNotModified);
    r.if_modified_since = "Sun, 06 Nov 1994 08:49:36 GMT"; // a second earlier: modified
    CHECK(evaluate_conditional(r, etag, modified, kNow) == Conditional::kProceed);
    r.if_modified_since = "Sunday, 06-Nov-94 08:49:37 GMT";
    CHECK(evaluate_conditional(r, etag, modified, kNow) == Conditional::kNotModified);
    r.if_modified_since = "not a date";
    CHECK(evaluate_conditional(r, etag, modified, kNow) == Conditional::kProceed);
    r.if_modified_since = "Tue, 07 Dec 2027 00:00:00 GMT"; // in the future: ignored
    CHECK(evaluate_conditional(r, etag, modified, kNow) == Conditional::kProceed);
}

} // namespace ringcast::http
