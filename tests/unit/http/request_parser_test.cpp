#include "dataplane/http/request_parser.h"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

namespace ringcast::http {
namespace {

using Kind = ParseResult::Kind;

std::span<const uint8_t> bytes_of(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

ParseResult parse(std::string_view s, Request& r) {
    return parse_request(bytes_of(s), r);
}

ParseResult parse(std::string_view s) {
    Request r;
    return parse(s, r);
}

// Feeds `whole` one byte more at a time, as a connection that receives it a byte per segment
// would: every prefix must be kIncomplete until the first one that gives the whole input's
// answer, and from there on every longer prefix must give that same answer.
ParseResult parse_incrementally(std::string_view whole) {
    const ParseResult final_result = parse(whole);
    bool decided = false;
    for (size_t len = 0; len <= whole.size(); ++len) {
        const ParseResult r = parse(whole.substr(0, len));
        INFO("prefix of " << len << " bytes of " << whole.size());
        if (!decided && r.kind == Kind::kIncomplete) continue;
        decided = true;
        REQUIRE(r.kind == final_result.kind);
        REQUIRE(r.status == final_result.status);
        REQUIRE(r.consumed == final_result.consumed);
        if (r.kind == Kind::kComplete) break; // longer prefixes hold the next request
    }
    return final_result;
}

uint16_t status_of(std::string_view s) {
    const ParseResult r = parse_incrementally(s);
    return r.kind == Kind::kError ? r.status : 0;
}

bool inside(std::string_view part, std::string_view whole) {
    return part.empty() || (part.data() >= whole.data() &&
                            part.data() + part.size() <= whole.data() + whole.size());
}

} // namespace

TEST_CASE("a curl GET parses into views of the request", "[http][parser]") {
    const std::string_view req = "GET /index.html?x=1 HTTP/1.1\r\n"
                                 "Host: example.com:8080\r\n"
                                 "User-Agent: curl/7.88.1\r\n"
                                 "Accept: */*\r\n"
                                 "Accept-Encoding: gzip, br;q=0.9\r\n"
                                 "If-None-Match: W/\"abc\", \"def\"\r\n"
                                 "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                                 "Range: bytes=0-99\r\n"
                                 "\r\n";
    Request r;
    const ParseResult res = parse(req, r);
    REQUIRE(res.kind == Kind::kComplete);
    CHECK(res.consumed == req.size());
    CHECK(r.method == Method::kGet);
    CHECK(r.method_token == "GET");
    CHECK(r.target == "/index.html?x=1");
    CHECK(r.version_minor == 1);
    CHECK(r.host == "example.com:8080");
    CHECK(r.accept_encoding == "gzip, br;q=0.9");
    CHECK(r.if_none_match == "W/\"abc\", \"def\"");
    CHECK(r.if_modified_since == "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(r.range == "bytes=0-99");
    CHECK(r.connection == ConnectionOption::kDefault);
    CHECK(r.keep_alive());
    CHECK(r.content_length == 0);
    for (std::string_view v : {r.method_token, r.target, r.host, r.accept_encoding, r.if_none_match,
                               r.if_modified_since, r.range})
        CHECK(inside(v, req));
    CHECK(parse_incrementally(req).consumed == req.size());
}

TEST_CASE("methods: GET and HEAD are served, other tokens are kOther", "[http][parser]") {
    Request r;
    REQUIRE(parse("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", r).kind == Kind::kComplete);
    CHECK(r.method == Method::kHead);
    REQUIRE(parse("POST / HTTP/1.1\r\nHost: a\r\n\r\n", r).kind == Kind::kComplete);
    CHECK(r.method == Method::kOther);
    CHECK(r.method_token == "POST");
    // RFC 9110 §9.1: methods are case-sensitive; "get" is a token, just not GET.
    REQUIRE(parse("get / HTTP/1.1\r\nHost: a\r\n\r\n", r).kind == Kind::kComplete);
    CHECK(r.method == Method::kOther);
    REQUIRE(parse("M-SEARCH * HTTP/1.1\r\nHost: a\r\n\r\n", r).kind == Kind::kComplete);
    CHECK(r.method == Method::kOther);
    CHECK(r.target == "*");
    // Not a token: a separator or a control byte in the method.
    CHECK(status_of("GE(T / HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of(std::string_view("GE\0T / HTTP/1.1\r\nHost: a\r\n\r\n", 28)) == 400);
    // A method longer than any implemented → 501 (RFC 9112 §3).
    CHECK(status_of(std::string(kMaxMethodLength + 1, 'X') + " / HTTP/1.1\r\nHost: a\r\n\r\n") ==
          501);
    Request longest;
    const std::string ok = std::string(kMaxMethodLength, 'X') + " / HTTP/1.1\r\nHost: a\r\n\r\n";
    CHECK(parse(ok, longest).kind == Kind::kComplete);
}

TEST_CASE("the request line's grammar (RFC 9112 §3)", "[http][parser]") {
    CHECK(status_of("GET  / HTTP/1.1\r\nHost: a\r\n\r\n") == 400); // two SPs
    CHECK(status_of("GET /  HTTP/1.1\r\nHost: a\r\n\r\n") == 400); // two SPs
    CHECK(status_of("GET / HTTP/1.1 \r\nHost: a\r\n\r\n") == 400); // trailing SP
    CHECK(status_of(" GET / HTTP/1.1\r\nHost: a\r\n\r\n") == 400); // leading SP
    CHECK(status_of("GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n") == 400); // HTAB is not SP
    CHECK(status_of("GET /\r\n\r\n") == 400);                      // HTTP/0.9
    CHECK(status_of("GET / \r\n\r\n") == 400);                     // no version
    CHECK(status_of("GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of("GET /\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n") == 400); // raw UTF-8
    CHECK(status_of("GET / http/1.1\r\nHost: a\r\n\r\n") == 400); // HTTP-name is case-sensitive
    CHECK(status_of("GET / HTTP/1.1x\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.10\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/11\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\rHost: a\r\n\r\n") == 400);              // bare CR
    CHECK(status_of("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03") == 400); // a TLS ClientHello
}

TEST_CASE("only HTTP/1.0 and HTTP/1.1: other versions are 505", "[http][parser]") {
    CHECK(status_of("GET / HTTP/2.0\r\nHost: a\r\n\r\n") == 505);
    CHECK(status_of("GET / HTTP/1.2\r\nHost: a\r\n\r\n") == 505);
    CHECK(status_of("GET / HTTP/0.9\r\n\r\n") == 505);
    CHECK(status_of("GET / HTTP/3.0\n\n") == 505);
    // The HTTP/2 connection preface is a well-formed "PRI * HTTP/2.0" request line.
    CHECK(status_of("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") == 505);
    Request r;
    REQUIRE(parse("GET / HTTP/1.0\r\n\r\n", r).kind == Kind::kComplete);
    CHECK(r.version_minor == 0);
    CHECK(r.host.empty()); // HTTP/1.0 needs no Host
}

TEST_CASE("leading empty lines and bare LF line ends (RFC 9112 §2.2)", "[http][parser]") {
    Request r;
    const std::string_view crlf = "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";
    ParseResult res = parse(crlf, r);
    REQUIRE(res.kind == Kind::kComplete);
    CHECK(res.consumed == crlf.size());
    CHECK(r.method_token == "GET");

    const std::string_view lf = "\nGET / HTTP/1.1\nHost: a\nConnection: close\n\n";
    res = parse(lf, r);
    REQUIRE(res.kind == Kind::kComplete);
    CHECK(res.consumed == lf.size());
    CHECK(r.host == "a");
    CHECK(r.connection == ConnectionOption::kClose);
    CHECK(parse_incrementally(lf).consumed == lf.size());

    // Mixed line ends within one request are each accepted.
    CHECK(parse("GET / HTTP/1.1\nHost: a\r\n\n").kind == Kind::kComplete);

    std::string many;
    for (uint32_t i = 0; i < kMaxLeadingEmptyLines; ++i)
        many += "\r\n";
    CHECK(parse(many + "GET / HTTP/1.1\r\nHost: a\r\n\r\n").kind == Kind::kComplete);
    CHECK(status_of(many + "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
    CHECK(status_of("\rGET / HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
    CHECK(parse("").kind == Kind::kIncomplete);
    CHECK(parse("\r\n").kind == Kind::kIncomplete);
}

TEST_CASE("field lines: names, colons, OWS, obs-fold (RFC 9112 §5)", "[http][parser]") {
    Request r;
    REQUIRE(
        parse("GET / HTTP/1.1\r\nHost:   a.example \t \r\nX-Empty:\r\nX-E2:  \r\n\r\n", r).kind ==
        Kind::kComplete);
    CHECK(r.host == "a.example");
    // Field names are case-insensitive.
    REQUIRE(parse("GET / HTTP/1.1\r\nhOsT: b\r\nRANGE: bytes=1-2\r\n\r\n", r).kind ==
            Kind::kComplete);
    CHECK(r.host == "b");
    CHECK(r.range == "bytes=1-2");
    // Whitespace inside a value is kept.
    REQUIRE(parse("GET / HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip ,\t br\r\n\r\n", r).kind ==
            Kind::kComplete);
    CHECK(r.accept_encoding == "gzip ,\t br");

    CHECK(status_of("GET / HTTP/1.1\r\nHost : a\r\n\r\n") == 400);       // SP before colon
    CHECK(status_of("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n") == 400);      // HTAB before colon
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n") == 400); // empty name
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nX(y): b\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n c\r\n\r\n") == 400); // obs-fold
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n\tc\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\n Host: a\r\n\r\n") == 400); // SP after the request line
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nX: b\rc\r\n\r\n") == 400); // bare CR
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nX: b\r\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\n\r\r\n") == 400);
    CHECK(status_of(std::string_view("GET / HTTP/1.1\r\nHost: a\r\nX: b\0c\r\n\r\n", 36)) == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nX: b\x7f\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nX: \x1b[31m\r\n\r\n") == 400);
    // obs-text (bytes >= 0x80) is allowed in values (RFC 9110 §5.5).
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nX: caf\xc3\xa9\r\n\r\n").kind == Kind::kComplete);
}

TEST_CASE("Host: required in HTTP/1.1, once, valid (RFC 9112 §3.2)", "[http][parser]") {
    CHECK(status_of("GET / HTTP/1.1\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n") == 400);
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nHost:").status == 400); // known at the colon
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a b\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a@b\r\n\r\n") == 400);
    Request r;
    REQUIRE(parse("GET / HTTP/1.1\r\nHost: [2001:db8::1]:8080\r\n\r\n", r).kind == Kind::kComplete);
    CHECK(r.host == "[2001:db8::1]:8080");
    // RFC 9110 §7.2: a target without an authority is sent with an empty Host.
    REQUIRE(parse("GET / HTTP/1.1\r\nHost:\r\n\r\n", r).kind == Kind::kComplete);
    CHECK(r.host.empty());
}

TEST_CASE("Content-Length and Transfer-Encoding: no smuggling (RFC 9112 §6)", "[http][parser]") {
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n"
                    "\r\nab") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 2\r\n\r\nab") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\nx") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 1\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                    "Content-Length: 3\r\n\r\n0\r\n\r\n") == 400);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") ==
          501);
    CHECK(status_of("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") == 400);
    // A huge length does not overflow into a small one.
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 18446744073709551617\r\n\r\n") ==
          413);
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: " +
                    std::to_string(kMaxRequestBody + 1) + "\r\n\r\n") == 413);

    // Identical repeats are one value (§6.3 (5)).
    Request r;
    const std::string_view same =
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc";
    REQUIRE(parse(same, r).kind == Kind::kComplete);
    CHECK(r.content_length == 3);
}

TEST_CASE("a body is waited for and included in consumed", "[http][parser]") {
    const std::string_view head = "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n";
    const std::string whole = std::string(head) + "hello" + "GET /next HTTP/1.1\r\n";
    CHECK(parse(std::string(head) + "hell").kind == Kind::kIncomplete);
    const ParseResult r = parse_incrementally(whole);
    REQUIRE(r.kind == Kind::kComplete);
    CHECK(r.consumed == head.size() + 5);

    std::string max_body =
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(kMaxRequestBody) +
        "\r\n\r\n";
    const size_t header_size = max_body.size();
    max_body += std::string(kMaxRequestBody, 'b');
    const ParseResult m = parse(max_body);
    REQUIRE(m.kind == Kind::kComplete);
    CHECK(m.consumed == header_size + kMaxRequestBody);
}

TEST_CASE("pipelined requests are parsed one at a time", "[http][parser]") {
    const std::string_view two = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
                                 "HEAD /2 HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n";
    Request r;
    ParseResult res = parse(two, r);
    REQUIRE(res.kind == Kind::kComplete);
    CHECK(r.target == "/1");
    CHECK(r.keep_alive());
    const std::string_view rest = two.substr(res.consumed);
    res = parse(rest, r);
    REQUIRE(res.kind == Kind::kComplete);
    CHECK(res.consumed == rest.size());
    CHECK(r.target == "/2");
    CHECK(r.host == "b");
    CHECK_FALSE(r.keep_alive());
    // A broken second request does not spoil the first.
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\n\r\nGARBAGE\x01\r\n").kind == Kind::kComplete);
}

TEST_CASE("Connection is a case-insensitive list; keep_alive follows RFC 9112 §9.3",
          "[http][parser]") {
    struct Case {
        std::string_view request;
        ConnectionOption option;
        bool keep_alive;
    };
    const Case cases[] = {
        {"GET / HTTP/1.1\r\nHost: a\r\n\r\n", ConnectionOption::kDefault, true},
        {"GET / HTTP/1.0\r\n\r\n", ConnectionOption::kDefault, false},
        {"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", ConnectionOption::kKeepAlive, true},
        {"GET / HTTP/1.1\r\nHost: a\r\nConnection: CLOSE\r\n\r\n", ConnectionOption::kClose, false},
        {"GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade, close\r\n\r\n",
         ConnectionOption::kClose, false},
        {"GET / HTTP/1.0\r\nConnection: te,,  keep-alive ,x\r\n\r\n", ConnectionOption::kKeepAlive,
         true},
        // Close wins over keep-alive, in one field or across two.
        {"GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n",
         ConnectionOption::kClose, false},
        {"GET / HTTP/1.1\r\nHost: a\r\nConnection: closed\r\n\r\n", ConnectionOption::kDefault,
         true},
    };
    for (const Case& c : cases) {
        INFO(c.request);
        Request r;
        REQUIRE(parse(c.request, r).kind == Kind::kComplete);
        CHECK(r.connection == c.option);
        CHECK(r.keep_alive() == c.keep_alive);
    }
}

TEST_CASE("repeated conditional and negotiation fields", "[http][parser]") {
    Request r;
    REQUIRE(parse("GET / HTTP/1.1\r\nHost: a\r\nRange: bytes=0-1\r\nRange: bytes=2-3\r\n"
                  "If-Modified-Since: x\r\nIf-Modified-Since: y\r\n"
                  "Accept-Encoding: br\r\nAccept-Encoding: gzip\r\n"
                  "If-None-Match: \"1\"\r\nIf-None-Match: \"2\"\r\n\r\n",
                  r)
                .kind == Kind::kComplete);
    CHECK(r.range.empty());
    CHECK(r.if_modified_since.empty());
    CHECK(r.accept_encoding.empty());
    CHECK(r.if_none_match == "\"1\"");
}

TEST_CASE("limits apply to incomplete input too", "[http][parser]") {
    // A request line longer than kMaxRequestLine with no LF yet is already 414.
    const std::string long_line = "GET /" + std::string(kMaxRequestLine, 'a');
    CHECK(parse(long_line).status == 414);
    CHECK(parse(long_line.substr(0, kMaxRequestLine)).kind == Kind::kIncomplete);
    // The longest request line is not too long, but leaves no room for its line end within
    // kMaxHeaderBytes: 431, not 414. A little shorter, and the request fits.
    std::string line = "GET /" + std::string(kMaxRequestLine - 5 - 9, 'a') + " HTTP/1.1";
    REQUIRE(line.size() == kMaxRequestLine);
    CHECK(status_of(line + "\r\nHost: a\r\n\r\n") == 431);
    line.erase(5, 13);
    CHECK(parse(line + "\r\nHost: a\r\n\r\n").kind == Kind::kComplete);
    CHECK(status_of(line + "\r\nHost: ab\r\n\r\n") == 431);

    // A header section too large → 431, whether or not its end has arrived.
    std::string big = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(kMaxHeaderBytes, 'v');
    CHECK(parse(big).status == 431);
    CHECK(parse(big + "\r\n\r\n").status == 431);

    // More than kMaxHeaders field lines → 431, exactly kMaxHeaders is fine.
    std::string fields = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (uint32_t i = 1; i < kMaxHeaders; ++i)
        fields += "X: " + std::to_string(i) + "\r\n";
    CHECK(parse(fields + "\r\n").kind == Kind::kComplete);
    CHECK(status_of(fields + "Y: z\r\n\r\n") == 431);
}

TEST_CASE("a full receive buffer gets the error for the part that did not fit", "[http][parser]") {
    constexpr uint32_t kCapacity = 4096;
    Request r;
    const std::string line = "GET /" + std::string(kCapacity, 'a');
    CHECK(
        parse_request(bytes_of(std::string_view(line).substr(0, kCapacity)), r, kCapacity).status ==
        414);
    const std::string fields =
        "GET / HTTP/1.1\r\nHost: a\r\nCookie: " + std::string(kCapacity, 'c');
    CHECK(parse_request(bytes_of(std::string_view(fields).substr(0, kCapacity)), r, kCapacity)
              .status == 431);
    const std::string body = "GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(3500, 'x') +
                             "\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'b');
    CHECK(
        parse_request(bytes_of(std::string_view(body).substr(0, kCapacity)), r, kCapacity).status ==
        413);
    // Room left: still incomplete; a complete request is complete however full the buffer.
    CHECK(parse_request(bytes_of(std::string_view(line).substr(0, 100)), r, kCapacity).kind ==
          Kind::kIncomplete);
    const std::string_view ok = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    CHECK(parse_request(bytes_of(ok), r, static_cast<uint32_t>(ok.size())).kind == Kind::kComplete);
}

TEST_CASE("hostile requests, whole and a byte at a time", "[http][parser]") {
    using namespace std::string_literals;
    struct Case {
        std::string name;
        std::string request;
        uint16_t status; // 0: complete
    };
    const Case cases[] = {
        {"NUL first", "\0GET / HTTP/1.1\r\nHost: a\r\n\r\n"s, 400},
        {"NUL in target", "GET /a\0b HTTP/1.1\r\nHost: a\r\n\r\n"s, 400},
        {"NUL in version", "GET / HTTP/1\0.1\r\nHost: a\r\n\r\n"s, 400},
        {"NUL in name", "GET / HTTP/1.1\r\nHo\0st: a\r\n\r\n"s, 400},
        {"NUL in Host", "GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n"s, 400},
        {"CR CR", "GET / HTTP/1.1\r\r\n\r\n", 400},
        {"LF CR", "GET / HTTP/1.1\n\rX", 400},
        {"LF then CR-less end", "GET / HTTP/1.1\nHost: a\n\r\n", 0},
        {"header line with only a colon", "GET / HTTP/1.1\r\nHost: a\r\n:\r\n\r\n", 400},
        {"field name with UTF-8", "GET / HTTP/1.1\r\nHost: a\r\nN\xc3\xa4me: v\r\n\r\n", 400},
        {"CL with a sign", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: +0\r\n\r\n", 400},
        {"CL with spaces inside", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 0\r\n\r\n", 400},
        {"CL list, one empty", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 2,,2\r\n\r\nab", 0},
        {"TE obfuscated case", "GET / HTTP/1.1\r\nHost: a\r\ntRaNsFeR-eNcOdInG: chunked\r\n\r\n",
         501},
        {"TE identity", "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", 501},
        {"TE empty with CL",
         "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\nContent-Length: 0\r\n\r\n", 400},
        {"CL then TE in 1.0", "GET / HTTP/1.0\r\nContent-Length: 0\r\nTransfer-Encoding: x\r\n\r\n",
         400},
        {"Host with space inside", "GET / HTTP/1.1\r\nHost: a .b\r\n\r\n", 400},
        {"Host with tab trimmed", "GET / HTTP/1.1\r\nHost:\ta\t\r\n\r\n", 0},
        {"Host with userinfo", "GET / HTTP/1.1\r\nHost: u:p@a\r\n\r\n", 400},
        {"many empty leading lines", std::string(200, '\n') + "GET / HTTP/1.1\r\n", 400},
        {"absolute-form", "GET http://a/b HTTP/1.1\r\nHost: b\r\n\r\n", 0},
        {"a lowercase version", "GET / Http/1.1\r\nHost: a\r\n\r\n", 400},
        {"version with a leading zero digit", "GET / HTTP/01.1\r\nHost: a\r\n\r\n", 400},
        {"HTTP/9.9", "GET / HTTP/9.9\r\nHost: a\r\n\r\n", 505},
        {"SSH banner", "SSH-2.0-OpenSSH_9.2p1\r\n", 400},
        {"SMTP", "EHLO example.com\r\n", 400},
        {"a huge cookie", "GET / HTTP/1.1\r\nHost: a\r\nCookie: " + std::string(9000, 'c'), 431},
        {"a huge name", "GET / HTTP/1.1\r\nHost: a\r\n" + std::string(9000, 'N'), 431},
        {"65 fields",
         "GET / HTTP/1.1\r\n" +
             [] {
                 std::string f;
                 for (int i = 0; i < 65; ++i)
                     f += "H: v\r\n";
                 return f;
             }(),
         431},
        {"endless OWS", "GET / HTTP/1.1\r\nHost: a\r\nX:" + std::string(9000, ' '), 431},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        const ParseResult r = parse_incrementally(c.request);
        if (c.status == 0) {
            CHECK(r.kind == Kind::kComplete);
            CHECK(r.consumed == c.request.size());
        } else {
            CHECK(r.kind == Kind::kError);
            CHECK(r.status == c.status);
        }
    }
}

TEST_CASE("a request split in two anywhere parses the same", "[http][parser]") {
    const std::string_view req = "\r\nGET /a/b?c HTTP/1.1\r\nHost: h:1\r\nRange: bytes=1-2\r\n"
                                 "Connection: keep-alive, Upgrade\r\nContent-Length: 3\r\n\r\nxyz"
                                 "GET /next HTTP/1.1\r\n";
    Request whole;
    const ParseResult w = parse(req, whole);
    REQUIRE(w.kind == Kind::kComplete);
    std::string buffer;
    for (size_t cut = 1; cut < w.consumed; ++cut) {
        // A connection's receive buffer after the first segment, then after the second.
        buffer.assign(req.substr(0, cut));
        Request r;
        CHECK(parse(buffer, r).kind == Kind::kIncomplete);
        buffer.append(req.substr(cut));
        const ParseResult second = parse(buffer, r);
        REQUIRE(second.kind == Kind::kComplete);
        CHECK(second.consumed == w.consumed);
        CHECK(r.target == whole.target);
        CHECK(r.host == "h:1");
        CHECK(r.range == "bytes=1-2");
        CHECK(r.content_length == 3);
        CHECK(r.connection == ConnectionOption::kKeepAlive);
        CHECK(inside(r.target, buffer));
    }
}

TEST_CASE("every byte value after a valid prefix gives a decided or incomplete answer",
          "[http][parser]") {
    // Each single byte spliced into a request either keeps it valid or gives a 4xx/5xx; none
    // leads to a view outside the input.
    const std::string base = "GET /p HTTP/1.1\r\nHost: h\r\nX: v\r\n\r\n";
    for (size_t pos = 0; pos < base.size(); ++pos) {
        for (int b = 0; b < 256; ++b) {
            std::string s = base;
            s.insert(s.begin() + static_cast<std::ptrdiff_t>(pos), static_cast<char>(b));
            Request r;
            const ParseResult res = parse(s, r);
            if (res.kind == Kind::kError) {
                CHECK((res.status == 400 || res.status == 501 || res.status == 505));
                continue;
            }
            if (res.kind != Kind::kComplete) continue;
            CHECK(res.consumed <= s.size());
            for (std::string_view v : {r.method_token, r.target, r.host})
                CHECK(inside(v, s));
        }
    }
}

} // namespace ringcast::http
