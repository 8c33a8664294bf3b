#include "dataplane/http/request_target.h"

#include <catch2/catch.hpp>
#include <string>

namespace ringcast::http {
namespace {

struct Resolved {
    ResolvedTarget target;
    std::string path;
};

Resolved resolve(std::string_view t) {
    static char buffer[kMaxPathBytes];
    Resolved r{resolve_target(t, buffer), {}};
    r.path = std::string(r.target.path);
    return r;
}

std::string path_of(std::string_view t) {
    const Resolved r = resolve(t);
    REQUIRE(r.target.status == 0);
    return r.path;
}

uint16_t status_of(std::string_view t) {
    return resolve(t).target.status;
}

} // namespace

TEST_CASE("origin-form: query stripped, directories get index.html", "[http][target]") {
    CHECK(path_of("/") == "/index.html");
    CHECK(path_of("/style.css") == "/style.css");
    CHECK(path_of("/a/b.txt?x=1&y=/../..") == "/a/b.txt");
    CHECK(path_of("/docs/") == "/docs/index.html");
    CHECK(path_of("/docs") == "/docs"); // a file named "docs", or no object: not a directory
    CHECK(path_of("/?q") == "/index.html");
    const Resolved r = resolve("/docs/?x");
    CHECK(r.target.form == TargetForm::kOrigin);
    CHECK(r.target.directory_index);
    CHECK(r.target.authority.empty());
    CHECK_FALSE(resolve("/a.txt").target.directory_index);
}

TEST_CASE("percent-decoding (RFC 3986 §2.1)", "[http][target]") {
    CHECK(path_of("/%7Euser/a%20b.html") == "/~user/a b.html");
    CHECK(path_of("/caf%C3%A9") == "/caf\xc3\xa9");
    CHECK(path_of("/%2a%2A") == "/**");
    CHECK(status_of("/a%00b") == 400);
    CHECK(status_of("/a%0Ab") == 400); // no served name holds a control character
    CHECK(status_of("/a%1f") == 400);
    CHECK(status_of("/a%7F") == 400);
    CHECK(path_of("/a%80%FF") == "/a\x80\xff");
    CHECK(status_of("/a%0") == 400);
    CHECK(status_of("/a%") == 400);
    CHECK(status_of("/a%g0") == 400);
    CHECK(status_of("/a%0g") == 400);
    CHECK(status_of("/%%41") == 400);
    // A bad escape in the query does not matter: the query is not decoded.
    CHECK(path_of("/a?%zz") == "/a");
}

TEST_CASE("dot segments never climb above / (RFC 3986 §5.2.4)", "[http][target]") {
    CHECK(path_of("/a/b/../c") == "/a/c");
    CHECK(path_of("/a/./b") == "/a/b");
    CHECK(path_of("/..") == "/index.html");
    CHECK(path_of("/../../../etc/passwd") == "/etc/passwd");
    CHECK(path_of("/a/..") == "/index.html");
    CHECK(path_of("/a/b/..") == "/a/index.html");
    CHECK(path_of("/a/b/.") == "/a/b/index.html");
    CHECK(path_of("/a/b/./") == "/a/b/index.html");
    CHECK(path_of("/.hidden") == "/.hidden");
    CHECK(path_of("/a/..b/c") == "/a/..b/c");
    CHECK(path_of("/a/.../c") == "/a/.../c");
    // Encoded dots and slashes are decoded first, so they cannot slip past.
    CHECK(path_of("/%2e%2e/%2E%2E/etc/passwd") == "/etc/passwd");
    CHECK(path_of("/a%2f..%2F..%2fetc") == "/etc");
    CHECK(path_of("/a/%2e/b") == "/a/b");
    // Empty segments are merged.
    CHECK(path_of("//a///b//") == "/a/b/index.html");
    CHECK(path_of("//..//a") == "/a");
}

TEST_CASE("absolute-form: the authority overrides Host (RFC 9112 §3.2.2)", "[http][target]") {
    Resolved r = resolve("http://Example.com:8080/a/b?c");
    REQUIRE(r.target.status == 0);
    CHECK(r.target.form == TargetForm::kAbsolute);
    CHECK(r.target.authority == "Example.com:8080");
    CHECK(r.path == "/a/b");
    r = resolve("HTTPS://example.com");
    REQUIRE(r.target.status == 0);
    CHECK(r.path == "/index.html");
    r = resolve("http://example.com?x");
    REQUIRE(r.target.status == 0);
    CHECK(r.target.authority == "example.com");
    CHECK(r.path == "/index.html");

    Request req;
    req.host = "other.example:81";
    CHECK(request_host(req, resolve("http://[2001:db8::1]:8080/").target) == "[2001:db8::1]");
    CHECK(request_host(req, resolve("/x").target) == "other.example");

    CHECK(status_of("http:///a") == 400);          // empty host (RFC 9110 §4.2.1)
    CHECK(status_of("http://user@host/a") == 400); // userinfo (RFC 9110 §4.2.4)
    CHECK(status_of("http://:80/a") == 400);
    CHECK(status_of("ftp://example.com/a") == 400);
    CHECK(status_of("http:/example.com/a") == 400);
    CHECK(status_of("http://exa\"mple/") == 400);
}

TEST_CASE("asterisk-form, authority-form and others are 400 for GET/HEAD", "[http][target]") {
    Resolved r = resolve("*");
    CHECK(r.target.status == 400);
    CHECK(r.target.form == TargetForm::kAsterisk);
    r = resolve("example.com:443");
    CHECK(r.target.status == 400);
    CHECK(r.target.form == TargetForm::kAuthority);
    CHECK(status_of("") == 400);
    CHECK(status_of("index.html") == 400);
    CHECK(status_of("/a#frag") == 400);
}

TEST_CASE("a buffer too small for the path is 414, never an overrun", "[http][target]") {
    char small[16];
    CHECK(resolve_target("/abcde", small).status == 0); // 6 + kIndexName fit in 16
    CHECK(resolve_target("/abcdef", small).status == 414);
    CHECK(resolve_target("/", std::span<char>(small, 10)).status == 414);
    // No target that fits in a request line is too long for kMaxPathBytes.
    const std::string target = "/" + std::string(kMaxRequestLine - 2, 'a') + "/";
    static char buffer[kMaxPathBytes];
    const ResolvedTarget t = resolve_target(target, buffer);
    REQUIRE(t.status == 0);
    CHECK(t.path.size() == target.size() + kIndexName.size());
}

TEST_CASE("host_without_port", "[http][target]") {
    CHECK(host_without_port("example.com") == "example.com");
    CHECK(host_without_port("example.com:8080") == "example.com");
    CHECK(host_without_port("example.com:") == "example.com");
    CHECK(host_without_port("192.0.2.1:80") == "192.0.2.1");
    CHECK(host_without_port("[2001:db8::1]:8080") == "[2001:db8::1]");
    CHECK(host_without_port("[2001:db8::1]") == "[2001:db8::1]");
    CHECK(host_without_port("[2001:db8::1") == "[2001:db8::1");
    CHECK(host_without_port("") == "");
}

} // namespace ringcast::http
