#include "bench/micro/query_frames.h"

#include "dataplane/dns/protocol.h"

#include <fstream>
#include <sstream>
#include <string_view>
#include <utility>

namespace ringcast::bench {

namespace {

constexpr size_t kEthernetHeader = 14;
constexpr size_t kIpv4Header = 20;
constexpr size_t kUdpHeader = 8;
constexpr uint16_t kEtherTypeIpv4 = 0x0800;
constexpr uint8_t kIpProtoUdp = 17;
constexpr uint8_t kDefaultTtl = 64;
constexpr uint16_t kDnsPort = 53;
constexpr uint16_t kFirstSourcePort = 20000; // source ports cycle like many resolvers' would
constexpr uint16_t kSourcePortSpan = 40000;
constexpr size_t kMaxLabel = 63;

constexpr std::pair<std::string_view, uint16_t> kTypes[] = {
    {"A", 1},    {"NS", 2},    {"CNAME", 5}, {"SOA", 6}, {"PTR", 12},    {"MX", 15},
    {"TXT", 16}, {"AAAA", 28}, {"SRV", 33},  {"DS", 43}, {"DNSKEY", 48},
};

void put16(std::vector<uint8_t>& out, uint16_t v) {
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
}

void set16(std::vector<uint8_t>& out, size_t at, uint16_t v) {
    out[at] = static_cast<uint8_t>(v >> 8);
    out[at + 1] = static_cast<uint8_t>(v);
}

// RFC 1071, the naive way: this is setup code, and it must not share code with the dataplane.
uint32_t sum16(const uint8_t* p, size_t len, uint32_t sum = 0) {
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += static_cast<uint32_t>(p[i] << 8 | p[i + 1]);
    if (len & 1) sum += static_cast<uint32_t>(p[len - 1] << 8);
    return sum;
}

uint16_t fold(uint32_t sum) {
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(~sum);
}

bool encode_name(std::string_view name, std::vector<uint8_t>& out) {
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    while (!name.empty()) {
        const size_t dot = name.find('.');
        const std::string_view label = name.substr(0, dot);
        if (label.empty() || label.size() > kMaxLabel) return false;
        out.push_back(static_cast<uint8_t>(label.size()));
        out.insert(out.end(), label.begin(), label.end());
        name = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
    }
    out.push_back(0);
    return true;
}

bool parse_category(std::string_view text, Category& out) {
    for (size_t i = 0; i < kCategoryCount; ++i)
        if (text == category_name(static_cast<Category>(i))) {
            out = static_cast<Category>(i);
            return true;
        }
    return false;
}

bool parse_type(std::string_view text, uint16_t& out) {
    for (const auto& [name, value] : kTypes)
        if (text == name) {
            out = value;
            return true;
        }
    return false;
}

std::vector<uint8_t> dns_query(uint16_t id, const std::vector<uint8_t>& qname, uint16_t qtype,
                               Edns edns) {
    const bool with_edns = edns != Edns::kNone;
    std::vector<uint8_t> m;
    put16(m, id);
    put16(m, 0x0000); // QUERY, RD=0: an authoritative server's usual traffic from resolvers
    put16(m, 1);      // QDCOUNT
    put16(m, 0);
    put16(m, 0);
    put16(m, with_edns ? 1 : 0); // ARCOUNT
    m.insert(m.end(), qname.begin(), qname.end());
    put16(m, qtype);
    put16(m, 1); // IN
    if (with_edns) {
        m.push_back(0); // root owner
        put16(m, 41);   // OPT
        put16(m, kEdnsUdpSize);
        put16(m, 0); // extended RCODE, version
        put16(m, edns == Edns::kDnssecOk ? dns::kEdnsDoBit : 0);
        put16(m, 0); // RDLENGTH
    }
    return m;
}

std::vector<uint8_t> udp4_frame(const std::vector<uint8_t>& payload, uint16_t source_port) {
    std::vector<uint8_t> f;
    f.insert(f.end(), kPortMac.begin(), kPortMac.end());
    f.insert(f.end(), kClientMac.begin(), kClientMac.end());
    put16(f, kEtherTypeIpv4);

    const size_t ip = f.size();
    const uint16_t udp_length = static_cast<uint16_t>(kUdpHeader + payload.size());
    f.push_back(0x45);
    f.push_back(0);
    put16(f, static_cast<uint16_t>(kIpv4Header + udp_length));
    put16(f, source_port); // identification: anything
    put16(f, 0x4000);      // DF
    f.push_back(kDefaultTtl);
    f.push_back(kIpProtoUdp);
    put16(f, 0);
    f.insert(f.end(), kClient4.begin(), kClient4.end());
    f.insert(f.end(), kVip4.begin(), kVip4.end());
    set16(f, ip + 10, fold(sum16(f.data() + ip, kIpv4Header)));

    const size_t udp = f.size();
    put16(f, source_port);
    put16(f, kDnsPort);
    put16(f, udp_length);
    put16(f, 0);
    f.insert(f.end(), payload.begin(), payload.end());

    uint32_t pseudo = sum16(kClient4.data(), 4) + sum16(kVip4.data(), 4) + kIpProtoUdp + udp_length;
    uint16_t checksum = fold(sum16(f.data() + udp, udp_length, pseudo));
    set16(f, udp + 6, checksum == 0 ? 0xffff : checksum);
    return f;
}

} // namespace

const char* category_name(Category c) {
    switch (c) {
    case Category::kPositive:
        return "positive";
    case Category::kNxdomain:
        return "nxdomain";
    case Category::kReferral:
        return "referral";
    case Category::kNodata:
        return "nodata";
    case Category::kCount:
        break;
    }
    return "?";
}

bool load_query_frames(const std::string& tsv_path, Edns edns, std::vector<QueryFrame>& out,
                       std::string& error) {
    std::ifstream in(tsv_path);
    if (!in) {
        error = tsv_path + ": cannot open";
        return false;
    }
    std::string line;
    uint64_t line_number = 0;
    while (std::getline(in, line)) {
        ++line_number;
        std::istringstream fields(line);
        std::string category_text, name, type_text;
        if (!std::getline(fields, category_text, '\t') || !std::getline(fields, name, '\t') ||
            !std::getline(fields, type_text)) {
            error =
                tsv_path + ":" + std::to_string(line_number) + ": expected 3 tab-separated fields";
            return false;
        }
        QueryFrame frame;
        uint16_t qtype = 0;
        std::vector<uint8_t> qname;
        if (!parse_category(category_text, frame.category) || !parse_type(type_text, qtype) ||
            !encode_name(name, qname)) {
            error = tsv_path + ":" + std::to_string(line_number) + ": bad category, type or name";
            return false;
        }
        const auto id = static_cast<uint16_t>(line_number);
        const auto port = static_cast<uint16_t>(kFirstSourcePort + line_number % kSourcePortSpan);
        frame.bytes = udp4_frame(dns_query(id, qname, qtype, edns), port);
        out.push_back(std::move(frame));
    }
    if (out.empty()) {
        error = tsv_path + ": no queries";
        return false;
    }
    return true;
}

} // namespace ringcast::bench
