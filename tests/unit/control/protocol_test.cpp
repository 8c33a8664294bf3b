// The admin protocol's request parsing and reply framing: what a client may send, and that
// nothing it sends makes the daemon throw or echo bytes that are not UTF-8.
#include "controlplane/admin/line_buffer.h"
#include "controlplane/admin/protocol.h"

#include <catch2/catch.hpp>

using namespace ringcast::admin;
using nlohmann::json;

TEST_CASE("protocol: a JSON request with the current version") {
    json error;
    const auto r =
        parse_request(R"({"version":1,"cmd":"reload-zone","origin":"example.net."})", error);
    REQUIRE(r);
    CHECK(r->cmd == "reload-zone");
    CHECK(r->args.at("origin") == "example.net.");
    CHECK_FALSE(r->args.contains("cmd"));
    CHECK_FALSE(r->args.contains("version"));
}

TEST_CASE("protocol: bare words for humans with socat") {
    json error;
    const auto r = parse_request("  reload-zone\texample.net.  ", error);
    REQUIRE(r);
    CHECK(r->cmd == "reload-zone");
    CHECK(r->positional == std::vector<std::string>{"example.net."});
}

TEST_CASE("protocol: requests that are refused, with the code a script can test") {
    struct Case {
        std::string line;
        std::string code;
    };
    const Case cases[] = {
        {R"({"version":2,"cmd":"status"})", code::kUnsupportedVersion},
        {R"({"version":"1","cmd":"status"})", code::kUnsupportedVersion},
        {R"({"cmd":42})", code::kBadRequest},
        {R"({"version":1})", code::kBadRequest},
        {R"({"cmd":"status")", code::kBadRequest}, // truncated JSON
        {R"(["status"])", code::kBadRequest},      // not an object, not a word
        {"", code::kBadRequest},
        {std::string("\x01\x02\xff\xfe", 4), code::kBadRequest},
        {std::string(100, 'a'), code::kBadRequest},  // longer than any command name
        {"{\"cmd\":\"st\xff\"}", code::kBadRequest}, // invalid UTF-8 inside JSON
    };
    for (const Case& c : cases) {
        INFO(c.line);
        json error;
        CHECK_FALSE(parse_request(c.line, error));
        CHECK(error.at("ok") == false);
        CHECK(error.at("version") == kProtocolVersion);
        CHECK(error.at("code") == c.code);
    }
}

TEST_CASE("protocol: a reply line never throws on bytes that are not UTF-8") {
    json reply = error_reply(code::kUnknownCommand, std::string("unknown \xff\xfe command"));
    std::string line;
    REQUIRE_NOTHROW(line = to_line(reply));
    CHECK(line.back() == '\n');
    CHECK(std::count(line.begin(), line.end(), '\n') == 1);
    json parsed;
    CHECK(parse_line(line.substr(0, line.size() - 1), parsed));
}

TEST_CASE("line buffer: lines, CRLF, a line split across reads") {
    LineBuffer buffer(16);
    std::string line;
    buffer.append("status\r\nsta");
    REQUIRE(buffer.next(line) == LineBuffer::Next::line);
    CHECK(line == "status");
    CHECK(buffer.next(line) == LineBuffer::Next::need_more);
    buffer.append("ts\n");
    REQUIRE(buffer.next(line) == LineBuffer::Next::line);
    CHECK(line == "stats");
    CHECK(buffer.empty());
}

TEST_CASE("line buffer: a line over the cap is refused with or without its newline") {
    LineBuffer without(8);
    std::string line;
    without.append(std::string(9, 'x'));
    CHECK(without.next(line) == LineBuffer::Next::too_long);

    LineBuffer with(8);
    with.append(std::string(9, 'x') + "\n");
    CHECK(with.next(line) == LineBuffer::Next::too_long);

    LineBuffer exact(8);
    exact.append(std::string(8, 'x') + "\n");
    CHECK(exact.next(line) == LineBuffer::Next::line);
}
