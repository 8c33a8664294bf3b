#include "dataplane/tcp/send_queue.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace ringcast::tcp {
namespace {

std::string text_of(const PayloadPieces& p) {
    std::string s;
    for (uint32_t i = 0; i < p.count; ++i)
        s.append(reinterpret_cast<const char*>(p.data[i]), p.length[i]);
    return s;
}

const uint8_t* bytes(const std::string& s) {
    return reinterpret_cast<const uint8_t*>(s.data());
}

} // namespace

TEST_CASE("send queue: copied and external chunks form one stream", "[tcp][send_queue]") {
    std::vector<uint8_t> ring(16);
    SendQueue q;
    q.attach(ring.data(), 16);
    const std::string body = "0123456789abcdefghij";
    REQUIRE(q.append_copy(bytes("HEAD"), 4));
    REQUIRE(q.append_external(bytes(body), 20));
    REQUIRE(q.append_copy(bytes("tail"), 4));
    CHECK(q.length() == 28);
    CHECK(text_of(q.gather(0, 100)) == "HEAD0123456789abcdefghijtail");
    CHECK(text_of(q.gather(2, 5)) == "AD012");
    CHECK(text_of(q.gather(22, 100)) == "ijtail");
    // The external piece is the body itself, not a copy.
    const PayloadPieces p = q.gather(4, 3);
    REQUIRE(p.count == 1);
    CHECK(p.data[0] == bytes(body));

    q.drop_front(6); // "HEAD01"
    CHECK(q.length() == 22);
    CHECK(text_of(q.gather(0, 100)) == "23456789abcdefghijtail");
    q.drop_front(20);
    CHECK(text_of(q.gather(0, 100)) == "il");
    q.drop_front(2);
    CHECK(q.length() == 0);
    CHECK(q.gather(0, 100).count == 0);
}

TEST_CASE("send queue: ring bytes wrap into two pieces", "[tcp][send_queue]") {
    std::vector<uint8_t> ring(8);
    SendQueue q;
    q.attach(ring.data(), 8);
    REQUIRE(q.append_copy(bytes("abcdef"), 6));
    q.drop_front(5);
    REQUIRE(q.append_copy(bytes("ghijk"), 5)); // wraps: f|ghi at 5..7, jk at 0..1
    CHECK(q.copy_room() == 2);
    CHECK_FALSE(q.append_copy(bytes("lmn"), 3));
    const PayloadPieces p = q.gather(0, 100);
    CHECK(p.count == 2);
    CHECK(text_of(p) == "fghijk");
}

TEST_CASE("send queue: a segment stops at the piece limit; chunks are bounded",
          "[tcp][send_queue]") {
    std::vector<uint8_t> ring(64);
    SendQueue q;
    q.attach(ring.data(), 64);
    const std::string a = "AAAA", b = "BBBB";
    for (uint32_t i = 0; i < kMaxSendChunks / 2; ++i) {
        REQUIRE(q.append_copy(bytes("h"), 1));
        REQUIRE(q.append_external(bytes(i % 2 ? a : b), 4));
    }
    CHECK_FALSE(q.chunk_free());
    CHECK_FALSE(q.append_external(bytes(a), 4));
    CHECK(q.copy_room() == 0); // the last chunk is external: a copy needs a new chunk
    const PayloadPieces p = q.gather(0, 1000);
    CHECK(p.count == kMaxPayloadPieces);
    CHECK(text_of(p) == "hBBBBhAAAA");
    q.drop_front(5);
    CHECK(q.chunk_free());
    CHECK(q.append_copy(bytes("x"), 1));
}

} // namespace ringcast::tcp
