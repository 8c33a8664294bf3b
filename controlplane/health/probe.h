// Health probes: one real query through the network to one of this PoP's VIPs.
//
//   DNS   a UDP query for a configured name and type; the answer must match the query's ID and
//         question, have QR and AA set, RCODE NOERROR and at least one answer record.
//   HTTP  GET a path over TCP; the status line must say 200.
//
// The probe path. The probes must reach *this* PoP's dataplane and never be answered by another
// PoP. The VIPs are anycast: sent out of the dataplane's own uplink, a probe would be routed by
// the upstream to whichever PoP is best. So each probe socket is bound (SO_BINDTODEVICE,
// [health] interface) to a link that ends in this PoP's dataplane: in the lab, a veth pair
// probe0/probe1 inside the PoP namespace whose probe1 end is a second dataplane port, with host
// routes for the VIPs over probe0 (scripts/lab). The dataplane answers ARP/ND for the VIPs on
// that port too, so the path is the real one: kernel stack, veth, AF_XDP, lcore, back.
#pragma once

#include "controlplane/health/reactor.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <netinet/in.h>
#include <string>
#include <vector>

namespace ringcast::health {

inline constexpr size_t kMaxDnsMessage = 4096;     // the largest answer a probe reads
inline constexpr size_t kMaxHttpStatusLine = 1024; // bytes read before the status line must end

struct ProbeResult {
    bool ok = false;
    Clock::duration latency{}; // from send to the answer (or to the failure)
    std::string error;         // empty when ok
    // The dataplane answered and the answer was wrong (an RCODE, no record, an HTTP status):
    // what every PoP serving the same data would answer too. Never set with `ok`, so a right
    // answer failed later for its latency stays this PoP's own failure, like a timeout or a
    // refused connection.
    bool wrong_answer = false;
};

// A numeric address and port, IPv4 or IPv6.
struct Endpoint {
    sockaddr_storage address{};
    socklen_t length = 0;

    static bool parse(const std::string& host, uint16_t port, Endpoint& out);
    std::string to_string() const; // "203.0.113.53:53", "[2001:db8::53]:53"
};

struct ProbeSpec {
    enum class Kind { dns, http };
    Kind kind = Kind::dns;
    Endpoint target;
    std::string interface; // SO_BINDTODEVICE; empty: the kernel's routing decides
    // DNS
    std::vector<uint8_t> qname; // wire format, lowercase
    uint16_t qtype = 6;         // SOA
    // HTTP
    std::string http_host; // Host header; empty: the target's address
    std::string http_path = "/";

    std::string name() const; // "dns 203.0.113.53:53", "http [2001:db8::53]:80"
};

// One check in flight. start() opens the socket and sends; `done` runs exactly once, from the
// reactor, with the result (also when the check is abandoned by cancel(): then not at all).
class Probe {
  public:
    using Done = std::function<void(ProbeResult)>;

    Probe(Reactor& reactor, ProbeSpec spec) : reactor_(reactor), spec_(std::move(spec)) {}
    ~Probe() { cancel(); }
    Probe(const Probe&) = delete;
    Probe& operator=(const Probe&) = delete;

    const ProbeSpec& spec() const { return spec_; }
    bool in_flight() const { return fd_ >= 0; }

    // Starts a check that fails with "timeout" after `timeout`.
    void start(Clock::duration timeout, Done done);
    void cancel(); // closes the socket without calling `done`

  private:
    Reactor& reactor_;
    ProbeSpec spec_;
    int fd_ = -1;
    bool registered_ = false; // fd_ is in the reactor
    Reactor::TimerId timer_ = 0;
    Clock::time_point started_{};
    Done done_;
    uint16_t dns_id_ = 0;
    std::vector<uint8_t> dns_query_;
    std::string http_buffer_;
    size_t http_sent_ = 0;
    bool http_connected_ = false;

    void finish(bool ok, std::string error, bool wrong_answer = false);
    bool open_socket(int type, std::string& error);
    void on_dns_readable();
    void on_http_event(uint32_t events);
};

// "example.net." or "example.net" → wire format, lowercase. False for an invalid name.
bool encode_dns_name(const std::string& name, std::vector<uint8_t>& out);
// "A", "AAAA", "SOA", "NS", "TXT", "MX" → the RR type; false for anything else.
bool parse_dns_type(const std::string& name, uint16_t& out);

// Checks a DNS reply against the query it answers; returns an empty string when it is good,
// otherwise what is wrong ("rcode NXDOMAIN", "not authoritative", "no answer").
std::string check_dns_answer(const uint8_t* reply, size_t length, const uint8_t* query,
                             size_t query_length);
// Builds the query: ID, no RD, one question.
std::vector<uint8_t> build_dns_query(uint16_t id, const std::vector<uint8_t>& qname,
                                     uint16_t qtype);

} // namespace ringcast::health
