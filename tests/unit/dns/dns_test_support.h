// Test support for the DNS unit tests: a fluent query builder, a response decoder that follows
// (and checks) compression pointers, and a server fixture answering from zones compiled in memory
// with the zone compiler. Test code: allocation and exceptions are fine here.
#pragma once

#include "dataplane/dns/responder.h"
#include "dataplane/snapshot/reader.h"
#include "dataplane/stats/counters.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ringcast::dns::test {

// "www.example.net." (or ".") to wire form; no escapes.
std::vector<uint8_t> wire_name(std::string_view presentation);

class QueryBuilder {
  public:
    QueryBuilder& id(uint16_t id) {
        id_ = id;
        return *this;
    }
    QueryBuilder& flags(uint8_t flags1, uint8_t flags2) {
        flags1_ = flags1;
        flags2_ = flags2;
        return *this;
    }
    QueryBuilder& opcode(uint8_t opcode) {
        flags1_ = static_cast<uint8_t>((flags1_ & ~0x78) | (opcode << 3));
        return *this;
    }
    QueryBuilder& question(std::string_view name, uint16_t type, uint16_t rclass = 1);
    // Question bytes as given (for malformed names).
    QueryBuilder& raw_question(std::vector<uint8_t> bytes) {
        question_ = std::move(bytes);
        has_question_ = true;
        return *this;
    }
    QueryBuilder& no_question() {
        question_.clear();
        has_question_ = false;
        return *this;
    }
    QueryBuilder& edns(uint16_t udp_size = 1232, uint8_t version = 0, bool dnssec_ok = false);
    QueryBuilder& edns_option(uint16_t code, std::vector<uint8_t> data = {});
    QueryBuilder& nsid() { return edns_option(3); }
    // Bytes appended after everything else (counted records or garbage).
    QueryBuilder& append(std::vector<uint8_t> bytes) {
        trailer_.insert(trailer_.end(), bytes.begin(), bytes.end());
        return *this;
    }
    // Header counts to write instead of the computed ones.
    QueryBuilder& counts(uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar) {
        override_counts_ = true;
        counts_[0] = qd;
        counts_[1] = an;
        counts_[2] = ns;
        counts_[3] = ar;
        return *this;
    }
    std::vector<uint8_t> build() const;

  private:
    uint16_t id_ = 0x1234;
    uint8_t flags1_ = 0x01; // RD, as stub resolvers send
    uint8_t flags2_ = 0;
    bool has_question_ = false;
    std::vector<uint8_t> question_;
    bool has_edns_ = false;
    uint16_t edns_size_ = 0;
    uint32_t edns_ttl_ = 0;
    std::vector<uint8_t> edns_options_;
    std::vector<uint8_t> trailer_;
    bool override_counts_ = false;
    uint16_t counts_[4] = {};
};

struct DecodedRr {
    std::string owner; // presentation, case as on the wire
    uint16_t type = 0;
    uint16_t rclass = 0;
    uint32_t ttl = 0;
    std::vector<uint8_t> rdata; // as on the wire (names may be compressed)
    // Names in the RDATA of NS/CNAME/PTR (target), MX (exchange), SOA (mname, rname),
    // SRV (target), decompressed.
    std::vector<std::string> rdata_names;
    size_t offset = 0; // where the record starts in the message
};

struct DecodedOpt {
    bool present = false;
    uint16_t udp_size = 0;
    uint8_t ext_rcode = 0;
    uint8_t version = 0;
    bool dnssec_ok = false;
    std::vector<std::pair<uint16_t, std::vector<uint8_t>>> options;
};

struct Response {
    bool sent = false;
    std::vector<uint8_t> wire;
    uint16_t id = 0;
    bool qr = false, aa = false, tc = false, rd = false, ra = false, ad = false, cd = false;
    uint8_t opcode = 0;
    uint8_t rcode = 0; // header RCODE (low 4 bits)
    uint16_t qdcount = 0, ancount = 0, nscount = 0, arcount = 0;
    std::string qname; // case as on the wire
    uint16_t qtype = 0, qclass = 0;
    std::vector<DecodedRr> answer, authority, additional; // additional without OPT
    DecodedOpt opt;
    unsigned pointers = 0; // compression pointers followed while decoding

    uint16_t extended_rcode() const { return static_cast<uint16_t>(opt.ext_rcode << 4 | rcode); }
};

// Decodes a whole response; throws std::runtime_error on anything malformed (pointer loops or
// forward pointers, overruns, trailing bytes).
Response decode(const uint8_t* msg, size_t len);

struct ZoneText {
    std::string origin;
    std::string text;
};

// Parses, checks and builds a snapshot image; throws with the diagnostics on failure.
std::vector<uint8_t> build_test_snapshot(const std::vector<ZoneText>& zones);

// The responder over a snapshot compiled from zone text, as the pipeline would call it. Every
// query is answered twice, plainly and with its question read ahead as a burst reads it
// (dns/prefetch.h); the two replies must be byte for byte the same, or the call throws.
class TestServer {
  public:
    explicit TestServer(const std::vector<ZoneText>& zones);

    Response ask(const std::vector<uint8_t>& query, uint32_t capacity = 4096,
                 Transport transport = Transport::kUdp4);
    // Raw call: the reply and the bytes written, for drop tests.
    Reply answer(std::vector<uint8_t>& buffer, uint32_t len);

    ResponderConfig config;
    stats::LcoreCounters counters; // of the plain answers
    std::vector<uint8_t> image;
    std::unique_ptr<snapshot::Snapshot> snapshot;

  private:
    Reply answer_twice(std::vector<uint8_t>& buffer, uint32_t len, uint32_t capacity,
                       Transport transport);
};

// The demo zone plus records the tests need (chains, loops, a big RRset, a signed cut, ...).
const std::vector<ZoneText>& test_zones();

} // namespace ringcast::dns::test
