// HTTP/1.1 on a real tcp::Engine, answered from a content snapshot compiled in memory: what a
// client receives, byte for byte, and what the connection pins.
#include "controlplane/content/content_compiler.h"
#include "dataplane/http/stream_handler.h"
#include "tests/unit/content/content_test_util.h"
#include "tests/unit/tcp/engine_harness.h"

#include <catch2/catch.hpp>

namespace ringcast::http {
namespace {

using tcp::test::EngineHarness;
using tcp::test::Peer;

constexpr int64_t kNow = 1'765'000'000; // wall clock of the tests
// Starts with the gzip magic (RFC 1952 §2.3.1), which is all the compiler checks.
const std::string kGzipBody = "\x1f\x8b"
                              "GZIPPED";

std::string pattern(size_t n) {
    std::string s(n, '\0');
    for (size_t i = 0; i < n; ++i)
        s[i] = static_cast<char>('a' + i % 26);
    return s;
}

struct Site {
    content::test::TempTree tree;
    std::unique_ptr<content::SharedContent> content;

    explicit Site(const std::string& index = "<h1>www</h1>\n") {
        tree.write("www/index.html", index);
        tree.write("www/big.bin", pattern(5000));
        tree.write("www/style.css", "body{}\n");
        tree.write("www/style.css.gz", kGzipBody);
        tree.write("other/index.html", "<h1>other</h1>\n");
        const auto result = content::compile_content(
            {{{"www.example.net"}, (tree.dir / "www").string(), "max-age=60"},
             {{"other.example.net"}, (tree.dir / "other").string(), ""}},
            {});
        REQUIRE(result.ok);
        image = result.image;
        std::string error;
        auto snapshot = content::Snapshot::open_memory(image, error);
        REQUIRE(snapshot);
        content = std::make_unique<content::SharedContent>(std::move(snapshot), 1);
    }
    std::vector<uint8_t> image;
};

struct Client {
    stats::LcoreCounters counters;
    HttpStreamHandler http{"pop-test", 0, counters};
    EngineHarness h{tcp::test::test_config(), http};
    Peer peer;
    std::string received;
    tcp::Seq next;

    explicit Client(Site& site) {
        http.use_content(site.content.get(), kNow);
        next = h.handshake(peer);
    }
    // Sends `request`, then ACKs until the server has nothing more to send; returns what
    // arrived in order.
    std::string exchange(const std::string& request) {
        received.clear();
        h.send(peer, request);
        for (int round = 0; round < 64 && !h.sink.sent.empty(); ++round) {
            for (const auto& c : h.sink.sent) {
                if (c.segment.seq != next) continue;
                received.append(c.payload.begin(), c.payload.end());
                next += static_cast<uint32_t>(c.payload.size());
            }
            h.ack_all(peer);
        }
        return received;
    }
    bool closed_by_server() {
        const tcp::Connection* c = h.engine.connection(peer.flow);
        return c == nullptr || c->fin_queued;
    }
};

std::string header(const std::string& response, const std::string& name) {
    const size_t at = response.find("\r\n" + name + ": ");
    if (at == std::string::npos) return "";
    const size_t start = at + name.size() + 4;
    return response.substr(start, response.find("\r\n", start) - start);
}
std::string body_of(const std::string& response) {
    const size_t at = response.find("\r\n\r\n");
    return at == std::string::npos ? "" : response.substr(at + 4);
}

} // namespace

TEST_CASE("http: GET answers the object with the PoP's name, Date and Content-Length",
          "[http][responder]") {
    Site site;
    Client client(site);
    const std::string r =
        client.exchange("GET / HTTP/1.1\r\nHost: www.example.net\r\nUser-Agent: t\r\n\r\n");
    CHECK(r.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(header(r, "X-PoP") == "pop-test");
    CHECK(header(r, "Date") == "Sat, 06 Dec 2025 05:46:40 GMT");
    CHECK(header(r, "Content-Length") == "13");
    CHECK(header(r, "Cache-Control") == "max-age=60");
    CHECK(header(r, "Content-Type") == "text/html; charset=utf-8");
    CHECK(body_of(r) == "<h1>www</h1>\n");
    CHECK_FALSE(client.closed_by_server());
    CHECK(client.counters.get(stats::Counter::http_status_200) == 1);
}

TEST_CASE("http: pipelined requests are answered in order on one connection", "[http][responder]") {
    Site site;
    Client client(site);
    const std::string r = client.exchange("GET /big.bin HTTP/1.1\r\nHost: www.example.net\r\n\r\n"
                                          "GET / HTTP/1.1\r\nHost: other.example.net\r\n\r\n"
                                          "HEAD / HTTP/1.1\r\nHost: www.example.net\r\n\r\n");
    const size_t second = r.find("HTTP/1.1 200 OK", 1);
    const size_t third = r.find("HTTP/1.1 200 OK", second + 1);
    REQUIRE(second != std::string::npos);
    REQUIRE(third != std::string::npos);
    CHECK(body_of(r.substr(0, second)) == pattern(5000)); // bigger than the MSS, intact
    CHECK(body_of(r.substr(second, third - second)) == "<h1>other</h1>\n");
    // HEAD: the GET's headers, no body.
    CHECK(header(r.substr(third), "Content-Length") == "13");
    CHECK(body_of(r.substr(third)).empty());
    CHECK(client.counters.get(stats::Counter::http_requests) == 3);
}

TEST_CASE("http: Range gives 206 or 416", "[http][responder]") {
    Site site;
    Client client(site);
    std::string r = client.exchange(
        "GET /big.bin HTTP/1.1\r\nHost: www.example.net\r\nRange: bytes=26-51\r\n\r\n");
    CHECK(r.rfind("HTTP/1.1 206 Partial Content\r\n", 0) == 0);
    CHECK(header(r, "Content-Range") == "bytes 26-51/5000");
    CHECK(body_of(r) == pattern(26));
    r = client.exchange(
        "GET /big.bin HTTP/1.1\r\nHost: www.example.net\r\nRange: bytes=6000-\r\n\r\n");
    CHECK(r.rfind("HTTP/1.1 416 Range Not Satisfiable\r\n", 0) == 0);
    CHECK(header(r, "Content-Range") == "bytes */5000");
    CHECK(body_of(r).empty());
}

TEST_CASE("http: conditional requests get 304 with the cache fields only", "[http][responder]") {
    Site site;
    Client client(site);
    const std::string first = client.exchange("GET / HTTP/1.1\r\nHost: www.example.net\r\n\r\n");
    const std::string etag = header(first, "ETag");
    REQUIRE(!etag.empty());
    std::string r = client.exchange(
        "GET / HTTP/1.1\r\nHost: www.example.net\r\nIf-None-Match: " + etag + "\r\n\r\n");
    CHECK(r.rfind("HTTP/1.1 304 Not Modified\r\n", 0) == 0);
    CHECK(header(r, "ETag") == etag);
    CHECK(header(r, "Content-Type").empty());
    CHECK(body_of(r).empty());
    r = client.exchange("GET / HTTP/1.1\r\nHost: www.example.net\r\nIf-Modified-Since: " +
                        header(first, "Last-Modified") + "\r\n\r\n");
    CHECK(r.rfind("HTTP/1.1 304 Not Modified\r\n", 0) == 0);
    r = client.exchange(
        "GET / HTTP/1.1\r\nHost: www.example.net\r\nIf-None-Match: \"other\"\r\n\r\n");
    CHECK(r.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
}

TEST_CASE("http: Accept-Encoding picks the precompressed variant", "[http][responder]") {
    Site site;
    Client client(site);
    std::string r = client.exchange(
        "GET /style.css HTTP/1.1\r\nHost: www.example.net\r\nAccept-Encoding: gzip, br\r\n\r\n");
    CHECK(header(r, "Content-Encoding") == "gzip");
    CHECK(header(r, "Vary") == "Accept-Encoding");
    CHECK(body_of(r) == kGzipBody);
    r = client.exchange("GET /style.css HTTP/1.1\r\nHost: www.example.net\r\n\r\n");
    CHECK(header(r, "Content-Encoding").empty());
    CHECK(body_of(r) == "body{}\n");
}

TEST_CASE("http: errors — unknown host, method, garbage, HTTP/1.0", "[http][responder]") {
    Site site;
    SECTION("an unknown host or path is 404 and the connection stays") {
        Client client(site);
        std::string r = client.exchange("GET / HTTP/1.1\r\nHost: nowhere.example\r\n\r\n");
        CHECK(r.rfind("HTTP/1.1 404 Not Found\r\n", 0) == 0);
        r = client.exchange("GET /nope HTTP/1.1\r\nHost: www.example.net\r\n\r\n");
        CHECK(r.rfind("HTTP/1.1 404 Not Found\r\n", 0) == 0);
        CHECK_FALSE(client.closed_by_server());
    }
    SECTION("POST is 405 with Allow") {
        Client client(site);
        const std::string r = client.exchange(
            "POST / HTTP/1.1\r\nHost: www.example.net\r\nContent-Length: 0\r\n\r\n");
        CHECK(r.rfind("HTTP/1.1 405 Method Not Allowed\r\n", 0) == 0);
        CHECK(header(r, "Allow") == "GET, HEAD");
    }
    SECTION("garbage is 400, then the server closes") {
        Client client(site);
        const std::string r = client.exchange("\x01\x02 nonsense\r\n\r\n");
        CHECK(r.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
        CHECK(header(r, "Connection") == "close");
        CHECK(client.closed_by_server());
    }
    SECTION("HTTP/1.0 without keep-alive is answered, then closed") {
        Client client(site);
        const std::string r = client.exchange("GET / HTTP/1.0\r\nHost: www.example.net\r\n\r\n");
        CHECK(r.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
        CHECK(header(r, "Connection") == "close");
        CHECK(client.closed_by_server());
    }
    SECTION("HTTP/1.0 with keep-alive stays open and says so") {
        Client client(site);
        const std::string r = client.exchange(
            "GET / HTTP/1.0\r\nHost: www.example.net\r\nConnection: keep-alive\r\n\r\n");
        CHECK(header(r, "Connection") == "keep-alive");
        CHECK_FALSE(client.closed_by_server());
    }
}

TEST_CASE("http: a connection pins its content until it closes or moves on when idle",
          "[http][responder]") {
    Site site;
    Site newer("<h1>new</h1>\n");
    Client client(site);
    client.exchange("GET / HTTP/1.1\r\nHost: www.example.net\r\n\r\n");
    CHECK(site.content->pins() == 1);
    // A reload: the idle connection's next request is answered from the new content.
    client.http.use_content(newer.content.get(), kNow);
    const std::string r = client.exchange("GET / HTTP/1.1\r\nHost: www.example.net\r\n\r\n");
    CHECK(body_of(r) == "<h1>new</h1>\n");
    CHECK(site.content->pins() == 0);
    CHECK(newer.content->pins() == 1);
    client.h.deliver(client.peer.segment(tcp::kRst));
    CHECK(newer.content->pins() == 0);
}

} // namespace ringcast::http
