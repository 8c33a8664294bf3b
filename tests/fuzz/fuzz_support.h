// Shared by the fuzz targets: the failure check, aligned copies of the input, the PoP every
// frame target serves (zones/example.net.zone compiled in memory at start-up), and an
// independent parse of every frame the dataplane sends, so that a malformed reply is a crash.
// Written from the RFCs and dataplane/net/pipeline.h's contract, not from the code under test.
#pragma once

#include "controlplane/zone/zone_compiler.h"
#include "dataplane/net/pipeline.h"
#include "dataplane/net/udp.h"
#include "dataplane/snapshot/reader.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace ringcast::fuzz {

// A broken invariant: say which, then abort so that libFuzzer keeps the input as a crash.
[[noreturn]] inline void fail(const char* what, const char* file, int line) {
    std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", what, file, line);
    std::abort();
}
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) ::ringcast::fuzz::fail(#cond, __FILE__, __LINE__);                            \
    } while (0)

// The input copied into a buffer of its exact size, so that ASan catches a read one past the
// end. operator new[] returns memory aligned for any scalar (16 bytes on x86-64, ASan's too),
// which the snapshot and content verifiers' 8-byte alignment rule needs.
struct AlignedCopy {
    std::unique_ptr<uint8_t[]> storage;
    std::span<const uint8_t> bytes;

    AlignedCopy(const uint8_t* data, size_t size) : storage(new uint8_t[size]) {
        if (size) std::memcpy(storage.get(), data, size);
        bytes = {storage.get(), size};
    }
};

// The PoP the frame targets answer for: one port, one VIP per family, the demo zone.
inline constexpr net::MacAddress kPortMac = {0x02, 0, 0, 0, 0, 0x01};
inline constexpr uint8_t kVip4[4] = {192, 0, 2, 53};
inline constexpr uint8_t kVip6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                      0,    0,    0,    0,    0, 0, 0, 0x53};
inline constexpr char kPopName[] = "pop-fuzz";
inline constexpr uint32_t kFrameCapacity = 2048; // a DPDK mbuf's default data room
inline constexpr uint64_t kHashSeed = 0x5eed;    // fixed: a crash replays the same way

struct Pop {
    std::vector<uint8_t> image;
    std::unique_ptr<snapshot::Snapshot> snapshot;
    net::PipelineConfig config;
};

// Compiled once per process. Aborts if the demo zone does not compile: nothing to fuzz then.
inline Pop& pop() {
    static Pop* p = [] {
        auto* made = new Pop;
        zone::BuildOptions options;
        options.generation = 1;
        options.created_unix = 1;
        options.hash_seed = kHashSeed;
        zone::CompileResult result =
            zone::compile_zones({zone::ZoneSource{"example.net.", RINGCAST_FUZZ_ZONE}}, options);
        if (!result.ok) {
            for (const auto& e : result.errors)
                std::fprintf(stderr, "%s\n", e.to_string().c_str());
            fail("demo zone compiles", __FILE__, __LINE__);
        }
        made->image = std::move(result.snapshot);
        std::string error;
        made->snapshot = snapshot::Snapshot::open_memory(made->image, error);
        if (!made->snapshot) {
            std::fprintf(stderr, "%s\n", error.c_str());
            fail("demo snapshot verifies", __FILE__, __LINE__);
        }
        made->config.port_mac = kPortMac;
        uint32_t v4;
        std::memcpy(&v4, kVip4, sizeof(v4));
        made->config.vips.add_v4(v4);
        made->config.vips.add_v6(kVip6);
        std::memcpy(made->config.dns.pop_name, kPopName, sizeof(kPopName) - 1);
        made->config.dns.pop_name_len = sizeof(kPopName) - 1;
        return made;
    }();
    return *p;
}

// ---- Independent parse of an outgoing frame -------------------------------------------------

inline uint16_t be16(const uint8_t* p) {
    return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

// RFC 1071 one's-complement sum, folded.
inline uint32_t sum16(const uint8_t* p, size_t n, uint32_t sum = 0) {
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += be16(p + i);
    if (n % 2) sum += static_cast<uint32_t>(p[n - 1]) << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return sum;
}

inline bool is_vip4(const uint8_t* a) {
    return std::memcmp(a, kVip4, 4) == 0;
}
inline bool is_vip6(const uint8_t* a) {
    return std::memcmp(a, kVip6, 16) == 0;
}

// A DNS message (RFC 1035 §4.1): header, then qd/an/ns/ar entries that end exactly at the end
// of the message; every name's labels within it, compression pointers only backwards.
inline bool dns_message_ok(const uint8_t* m, size_t len) {
    constexpr size_t kHeader = 12;
    constexpr size_t kMaxName = 255;
    if (len < kHeader) return false;
    size_t at = kHeader;
    auto name = [&](size_t& pos) {
        size_t p = pos, total = 0;
        bool jumped = false;
        for (unsigned hops = 0; hops < 128; ++hops) {
            if (p >= len) return false;
            const uint8_t l = m[p];
            if ((l & 0xc0) == 0xc0) {
                if (p + 1 >= len) return false;
                const size_t target = (l & 0x3f) << 8 | m[p + 1];
                if (target >= p) return false; // pointers point to a prior occurrence
                if (!jumped) pos = p + 2;
                jumped = true;
                p = target;
                continue;
            }
            if (l & 0xc0) return false; // no extended label types in a reply
            total += l + 1u;
            if (total > kMaxName) return false;
            if (l == 0) {
                if (!jumped) pos = p + 1;
                return true;
            }
            p += l + 1u;
        }
        return false;
    };
    const unsigned qd = be16(m + 4);
    const unsigned rr = be16(m + 6) + be16(m + 8) + be16(m + 10);
    for (unsigned i = 0; i < qd; ++i) {
        if (!name(at) || at + 4 > len) return false;
        at += 4;
    }
    for (unsigned i = 0; i < rr; ++i) {
        if (!name(at) || at + 10 > len) return false;
        const size_t rdlength = be16(m + at + 8);
        at += 10;
        if (at + rdlength > len) return false;
        at += rdlength;
    }
    return at == len;
}

// What a reply to `query` must be (pipeline.h): addressed back to its sender from the port, the
// IP and L4 lengths exactly the frame's, every checksum right, a DNS reply a whole message
// answering the query's ID with QR set. `tx_offload`: no checksum offload was allowed, so none
// is left to the NIC.
inline void check_reply(const uint8_t* query, uint32_t query_len, const uint8_t* r, uint32_t len,
                        const net::TxOffloadRequest& tx) {
    constexpr uint32_t kEth = 14, kIp4 = 20, kIp6 = 40, kUdp = 8, kIcmpHeader = 8;
    FUZZ_CHECK(!tx.ipv4_header && !tx.udp);
    FUZZ_CHECK(len >= kEth && len <= kFrameCapacity && query_len >= kEth);
    FUZZ_CHECK(std::memcmp(r, query + 6, 6) == 0);           // to the sender
    FUZZ_CHECK(std::memcmp(r + 6, kPortMac.data(), 6) == 0); // from the port
    const uint16_t type = be16(r + 12);
    const uint8_t* l3 = r + kEth;
    const uint32_t l3_len = len - kEth;
    if (type == 0x0806) { // ARP reply (RFC 826)
        FUZZ_CHECK(l3_len >= 28);
        FUZZ_CHECK(be16(l3 + 6) == 2);
        FUZZ_CHECK(std::memcmp(l3 + 8, kPortMac.data(), 6) == 0 && is_vip4(l3 + 14));
        return;
    }
    const uint8_t* l4 = nullptr;
    uint32_t l4_len = 0;
    uint8_t protocol = 0;
    uint32_t pseudo = 0;
    if (type == 0x0800) {
        FUZZ_CHECK(l3_len >= kIp4 && l3[0] == 0x45); // replies carry no options
        FUZZ_CHECK(be16(l3 + 2) == l3_len);
        FUZZ_CHECK(sum16(l3, kIp4) == 0xffff);
        FUZZ_CHECK(is_vip4(l3 + 12));
        FUZZ_CHECK(std::memcmp(l3 + 16, query + kEth + 12, 4) == 0); // back to the sender
        protocol = l3[9];
        l4 = l3 + kIp4;
        l4_len = l3_len - kIp4;
        if (protocol != 1) pseudo = sum16(l3 + 12, 8, protocol + l4_len);
    } else if (type == 0x86dd) {
        FUZZ_CHECK(l3_len >= kIp6 && (l3[0] >> 4) == 6);
        FUZZ_CHECK(be16(l3 + 4) == l3_len - kIp6);
        protocol = l3[6];
        l4 = l3 + kIp6;
        l4_len = l3_len - kIp6;
        pseudo = sum16(l3 + 8, 32, protocol + l4_len);
        // A neighbour advertisement may come from the VIP's link-local address; everything
        // else comes from the VIP itself.
        FUZZ_CHECK(protocol == 58 || is_vip6(l3 + 8));
    } else {
        fail("reply is ARP, IPv4 or IPv6", __FILE__, __LINE__);
    }
    if (protocol == 17) {
        FUZZ_CHECK(l4_len >= kUdp && be16(l4 + 4) == l4_len);
        FUZZ_CHECK(be16(l4) == net::kDnsPort);
        const uint16_t checksum = be16(l4 + 6);
        FUZZ_CHECK(checksum != 0 || type == 0x0800); // RFC 8200 §8.1: mandatory over IPv6
        if (checksum != 0) FUZZ_CHECK(sum16(l4, l4_len, pseudo) == 0xffff);
        const uint8_t* dns = l4 + kUdp;
        const uint32_t dns_len = l4_len - kUdp;
        FUZZ_CHECK(dns_message_ok(dns, dns_len));
        FUZZ_CHECK((dns[2] & 0x80) != 0); // QR
        const uint32_t query_dns =
            kEth + (type == 0x0800 ? (query[kEth] & 0x0fu) * 4 : kIp6) + kUdp;
        FUZZ_CHECK(query_len >= query_dns + 2 && std::memcmp(dns, query + query_dns, 2) == 0);
        FUZZ_CHECK(be16(query + query_dns - kUdp) == be16(l4 + 2)); // to the source port
    } else if (protocol == 1 || protocol == 58) {
        FUZZ_CHECK(l4_len >= kIcmpHeader - 4);
        FUZZ_CHECK(sum16(l4, l4_len, pseudo) == 0xffff);
    } else {
        fail("reply is UDP, ICMP or ICMPv6", __FILE__, __LINE__);
    }
}

} // namespace ringcast::fuzz
