#include "tests/unit/dns/dns_test_support.h"

#include "controlplane/zone/zone_compiler.h"
#include "dataplane/dns/prefetch.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace ringcast::dns::test {

std::vector<uint8_t> wire_name(std::string_view name) {
    std::vector<uint8_t> out;
    while (!name.empty() && name != ".") {
        const size_t dot = name.find('.');
        const std::string_view label = name.substr(0, dot);
        out.push_back(static_cast<uint8_t>(label.size()));
        out.insert(out.end(), label.begin(), label.end());
        if (dot == std::string_view::npos) break;
        name.remove_prefix(dot + 1);
    }
    out.push_back(0);
    return out;
}

static void put16(std::vector<uint8_t>& out, uint16_t v) {
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
}
static void put32(std::vector<uint8_t>& out, uint32_t v) {
    put16(out, static_cast<uint16_t>(v >> 16));
    put16(out, static_cast<uint16_t>(v));
}

QueryBuilder& QueryBuilder::question(std::string_view name, uint16_t type, uint16_t rclass) {
    question_ = wire_name(name);
    put16(question_, type);
    put16(question_, rclass);
    has_question_ = true;
    return *this;
}

QueryBuilder& QueryBuilder::edns(uint16_t udp_size, uint8_t version, bool dnssec_ok) {
    has_edns_ = true;
    edns_size_ = udp_size;
    edns_ttl_ = uint32_t{version} << 16 | (dnssec_ok ? 0x8000u : 0u);
    return *this;
}

QueryBuilder& QueryBuilder::edns_option(uint16_t code, std::vector<uint8_t> data) {
    if (!has_edns_) edns();
    put16(edns_options_, code);
    put16(edns_options_, static_cast<uint16_t>(data.size()));
    edns_options_.insert(edns_options_.end(), data.begin(), data.end());
    return *this;
}

std::vector<uint8_t> QueryBuilder::build() const {
    std::vector<uint8_t> out;
    put16(out, id_);
    out.push_back(flags1_);
    out.push_back(flags2_);
    if (override_counts_) {
        for (uint16_t c : counts_)
            put16(out, c);
    } else {
        put16(out, has_question_ ? 1 : 0);
        put16(out, 0);
        put16(out, 0);
        put16(out, has_edns_ ? 1 : 0);
    }
    out.insert(out.end(), question_.begin(), question_.end());
    if (has_edns_) {
        out.push_back(0);
        put16(out, 41);
        put16(out, edns_size_);
        put32(out, edns_ttl_);
        put16(out, static_cast<uint16_t>(edns_options_.size()));
        out.insert(out.end(), edns_options_.begin(), edns_options_.end());
    }
    out.insert(out.end(), trailer_.begin(), trailer_.end());
    return out;
}

namespace {

class Decoder {
  public:
    Decoder(const uint8_t* msg, size_t len) : msg_(msg), len_(len) {}

    uint8_t u8() {
        need(1);
        return msg_[pos_++];
    }
    uint16_t u16() {
        need(2);
        const uint16_t v = static_cast<uint16_t>(msg_[pos_] << 8 | msg_[pos_ + 1]);
        pos_ += 2;
        return v;
    }
    uint32_t u32() {
        const uint32_t hi = u16();
        return hi << 16 | u16();
    }
    std::vector<uint8_t> bytes(size_t n) {
        need(n);
        std::vector<uint8_t> out(msg_ + pos_, msg_ + pos_ + n);
        pos_ += n;
        return out;
    }

    // Reads a possibly compressed name at `at`; returns it and the position after it.
    std::string name_at(size_t at, size_t& after) {
        std::string out;
        size_t pos = at;
        bool jumped = false;
        size_t lowest = at; // pointers must go strictly backwards
        size_t total = 0;
        for (;;) {
            if (pos >= len_) throw std::runtime_error("name runs past the message");
            const uint8_t label = msg_[pos];
            if ((label & 0xc0) == 0xc0) {
                if (pos + 1 >= len_) throw std::runtime_error("pointer runs past the message");
                const size_t target = (label & 0x3f) << 8 | msg_[pos + 1];
                if (target >= lowest) throw std::runtime_error("forward or looping pointer");
                ++pointers;
                if (!jumped) after = pos + 2;
                jumped = true;
                lowest = target;
                pos = target;
                continue;
            }
            if (label & 0xc0) throw std::runtime_error("bad label type");
            if (label == 0) {
                if (!jumped) after = pos + 1;
                total += 1;
                break;
            }
            if (pos + 1 + label > len_) throw std::runtime_error("label runs past the message");
            out.append(reinterpret_cast<const char*>(msg_ + pos + 1), label);
            out.push_back('.');
            total += 1 + label;
            pos += 1 + label;
        }
        if (total > 255) throw std::runtime_error("name longer than 255 bytes");
        return out.empty() ? "." : out;
    }
    std::string name() {
        size_t after = 0;
        std::string out = name_at(pos_, after);
        pos_ = after;
        return out;
    }

    size_t pos_ = 0;
    unsigned pointers = 0;

  private:
    void need(size_t n) {
        if (pos_ + n > len_) throw std::runtime_error("message truncated");
    }
    const uint8_t* msg_;
    size_t len_;
};

DecodedRr decode_rr(Decoder& d, Response& out) {
    DecodedRr rr;
    rr.offset = d.pos_;
    rr.owner = d.name();
    rr.type = d.u16();
    rr.rclass = d.u16();
    rr.ttl = d.u32();
    const uint16_t rdlength = d.u16();
    const size_t rdata_at = d.pos_;
    rr.rdata = d.bytes(rdlength);
    const size_t rdata_end = d.pos_;
    // Names inside RDATA, for the types the tests look at.
    size_t first = SIZE_MAX;
    unsigned count = 0;
    switch (rr.type) {
    case 2:
    case 5:
    case 12:
        first = rdata_at;
        count = 1;
        break; // NS CNAME PTR
    case 15:
        first = rdata_at + 2;
        count = 1;
        break; // MX
    case 6:
        first = rdata_at;
        count = 2;
        break; // SOA
    case 33:
        first = rdata_at + 6;
        count = 1;
        break; // SRV
    default:
        break;
    }
    size_t pos = first;
    for (unsigned i = 0; i < count; ++i) {
        size_t after = 0;
        rr.rdata_names.push_back(d.name_at(pos, after));
        if (after > rdata_end) throw std::runtime_error("RDATA name runs past RDLENGTH");
        pos = after;
    }
    if (rr.type == 6 && pos + 20 != rdata_end) throw std::runtime_error("SOA RDATA length");
    if ((rr.type == 2 || rr.type == 5 || rr.type == 15 || rr.type == 33) && pos != rdata_end)
        throw std::runtime_error("RDATA length disagrees with its name");
    (void)out;
    return rr;
}

} // namespace

Response decode(const uint8_t* msg, size_t len) {
    Response out;
    out.sent = true;
    out.wire.assign(msg, msg + len);
    Decoder d(msg, len);
    out.id = d.u16();
    const uint8_t f1 = d.u8();
    const uint8_t f2 = d.u8();
    out.qr = f1 & 0x80;
    out.opcode = (f1 >> 3) & 0x0f;
    out.aa = f1 & 0x04;
    out.tc = f1 & 0x02;
    out.rd = f1 & 0x01;
    out.ra = f2 & 0x80;
    out.ad = f2 & 0x20;
    out.cd = f2 & 0x10;
    out.rcode = f2 & 0x0f;
    out.qdcount = d.u16();
    out.ancount = d.u16();
    out.nscount = d.u16();
    out.arcount = d.u16();
    if (out.qdcount > 1) throw std::runtime_error("more than one question in a response");
    if (out.qdcount == 1) {
        out.qname = d.name();
        out.qtype = d.u16();
        out.qclass = d.u16();
    }
    for (unsigned i = 0; i < out.ancount; ++i)
        out.answer.push_back(decode_rr(d, out));
    for (unsigned i = 0; i < out.nscount; ++i)
        out.authority.push_back(decode_rr(d, out));
    for (unsigned i = 0; i < out.arcount; ++i) {
        DecodedRr rr = decode_rr(d, out);
        if (rr.type != 41) {
            if (out.opt.present) throw std::runtime_error("record after OPT");
            out.additional.push_back(std::move(rr));
            continue;
        }
        if (out.opt.present) throw std::runtime_error("two OPT records");
        if (rr.owner != ".") throw std::runtime_error("OPT not owned by the root");
        out.opt.present = true;
        out.opt.udp_size = rr.rclass;
        out.opt.ext_rcode = static_cast<uint8_t>(rr.ttl >> 24);
        out.opt.version = static_cast<uint8_t>(rr.ttl >> 16);
        out.opt.dnssec_ok = rr.ttl & 0x8000;
        Decoder o(rr.rdata.data(), rr.rdata.size());
        while (o.pos_ < rr.rdata.size()) {
            const uint16_t code = o.u16();
            const uint16_t length = o.u16();
            out.opt.options.emplace_back(code, o.bytes(length));
        }
    }
    if (d.pos_ != len) throw std::runtime_error("trailing bytes after the last record");
    out.pointers = d.pointers;
    return out;
}

std::vector<uint8_t> build_test_snapshot(const std::vector<ZoneText>& zones) {
    std::vector<zone::ParsedZone> parsed;
    std::vector<zone::Diagnostic> errors;
    for (const ZoneText& z : zones) {
        zone::ParsedZone out;
        const zone::ZoneSource source{z.origin, "test:" + z.origin};
        zone::parse_zone_text(source, z.text, out, errors);
        zone::check_zone(out, errors);
        parsed.push_back(std::move(out));
    }
    if (!errors.empty()) {
        std::string text = "test zones do not compile:";
        for (const auto& e : errors)
            text += "\n  " + e.to_string();
        throw std::runtime_error(text);
    }
    zone::BuildOptions options;
    options.generation = 1;
    options.hash_seed = 0x5eed5eed5eed5eedull;
    return zone::build_snapshot(parsed, options);
}

TestServer::TestServer(const std::vector<ZoneText>& zones) : image(build_test_snapshot(zones)) {
    std::string error;
    snapshot = snapshot::Snapshot::open_memory(image, error);
    if (!snapshot) throw std::runtime_error("test snapshot refused: " + error);
    static constexpr char kPop[] = "pop-test-1";
    std::memcpy(config.pop_name, kPop, sizeof kPop - 1);
    config.pop_name_len = sizeof kPop - 1;
}

Reply TestServer::answer_twice(std::vector<uint8_t>& buffer, uint32_t len, uint32_t capacity,
                               Transport transport) {
    std::vector<uint8_t> ahead_buffer = buffer;
    const Reply reply =
        answer_udp(config, snapshot->view(), counters, transport, buffer.data(), len, capacity);
    // The burst's way: stage 1 to 3 of the prefetch over this very buffer, then the answer
    // with what stage 1 read. Counted apart, so that tests see each query counted once.
    QueryLookahead lookahead;
    start_lookup_prefetch(snapshot->view(), ahead_buffer.data(), len, lookahead);
    follow_index_slot(snapshot->view(), lookahead);
    follow_node(snapshot->view(), lookahead);
    stats::LcoreCounters ahead_counters;
    const Reply ahead = answer_udp(config, snapshot->view(), ahead_counters, transport,
                                   ahead_buffer.data(), len, capacity, &lookahead);
    if (ahead.send != reply.send || ahead.length != reply.length ||
        (reply.send &&
         !std::equal(buffer.begin(), buffer.begin() + reply.length, ahead_buffer.begin())))
        throw std::runtime_error("the reply with the question read ahead differs");
    return reply;
}

Reply TestServer::answer(std::vector<uint8_t>& buffer, uint32_t len) {
    return answer_twice(buffer, len, static_cast<uint32_t>(buffer.size()), Transport::kUdp4);
}

Response TestServer::ask(const std::vector<uint8_t>& query, uint32_t capacity,
                         Transport transport) {
    std::vector<uint8_t> buffer(std::max<size_t>(capacity, query.size()), 0xee);
    std::memcpy(buffer.data(), query.data(), query.size());
    const Reply reply =
        answer_twice(buffer, static_cast<uint32_t>(query.size()), capacity, transport);
    if (!reply.send) return Response{};
    if (reply.length > capacity) throw std::runtime_error("response beyond capacity");
    return decode(buffer.data(), reply.length);
}

const std::vector<ZoneText>& test_zones() {
    static const std::vector<ZoneText> zones = [] {
        std::string big;
        for (int i = 0; i < 12; ++i)
            big += "big IN TXT \"" + std::to_string(100 + i) + std::string(196, 'x') + "\"\n";
        // A delegation whose in-domain glue (12 x A + AAAA) does not fit 512 bytes.
        for (int i = 10; i < 22; ++i) {
            const std::string ns = "ns" + std::to_string(i) + ".wide";
            big += "wide IN NS " + ns + "\n" + ns + " IN A 192.0.2." + std::to_string(i) + "\n" +
                   ns + " IN AAAA 2001:db8::" + std::to_string(i) + "\n";
        }
        // RFC 6672: old.* is example.net.'s own subtree again, far.* leaves the zone, and long.*
        // substitutes a 253-byte name (two bytes of prefix fit 255, three overflow: YXDOMAIN).
        const std::string dnames = "old IN DNAME example.net.\n"
                                   "far IN DNAME example.org.\n"
                                   "long IN DNAME " +
                                   std::string(61, 'a') + "." + std::string(61, 'b') + "." +
                                   std::string(61, 'c') + "." + std::string(61, 'd') + ".org.\n";
        return std::vector<ZoneText>{
            {"example.net.", R"(
$ORIGIN example.net.
$TTL 3600
@           IN  SOA   ns1.example.net. hostmaster.example.net. (
                      2026112101 7200 3600 1209600 300 )
            IN  NS    ns1
            IN  NS    ns2
            IN  MX    10 mail
            IN  TXT   "v=spf1 -all"
            IN  A     203.0.113.80
            IN  AAAA  2001:db8:ffff::80
ns1         IN  A     203.0.113.53
            IN  AAAA  2001:db8:ffff::53
ns2         IN  A     198.51.100.53
            IN  AAAA  2001:db8:eeee::53
www         IN  A     203.0.113.80
            IN  AAAA  2001:db8:ffff::80
mail        IN  A     203.0.113.25
cdn     300 IN  CNAME www
chain1      IN  CNAME chain2
chain2      IN  CNAME cdn
loop1       IN  CNAME loop2
loop2       IN  CNAME loop1
dangling    IN  CNAME nowhere
outside     IN  CNAME www.example.org.
_sip._udp   IN  SRV   10 60 5060 sip
sip         IN  A     203.0.113.60
*.wild      IN  TXT   "wildcard"
*.wildcname IN  CNAME www
*.wloop     IN  CNAME x.wloop
side        IN  NS    ns.sub
mixed       IN  NS    ns.sub
mixed       IN  NS    ns.mixed
ns.mixed    IN  A     203.0.113.56
a.b.ent     IN  TXT   "below an empty non-terminal"
Mixed-Case  IN  TXT   "owner written in mixed case"
sub         IN  NS    ns.sub
ns.sub      IN  A     203.0.113.54
secure      IN  NS    ns.secure
secure      IN  DS    12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ns.secure   IN  A     203.0.113.55
)" + dnames + big},
            {"deep.example.net.", R"(
$ORIGIN deep.example.net.
$TTL 600
@           IN  SOA   ns1.example.net. hostmaster.example.net. 7 7200 3600 1209600 60
            IN  NS    ns1.example.net.
www         IN  A     192.0.2.7
)"},
        };
    }();
    return zones;
}

} // namespace ringcast::dns::test
