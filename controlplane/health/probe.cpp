#include "controlplane/health/probe.h"

#include "dataplane/dns/limits.h"
#include "dataplane/dns/wire_name.h"

#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <random>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ringcast::health {
namespace {

constexpr size_t kDnsHeader = 12;
constexpr uint16_t kClassIn = 1;
constexpr uint8_t kFlagQr = 0x80; // first flags byte
constexpr uint8_t kFlagAa = 0x04;

uint16_t read16(const uint8_t* p) {
    return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

const char* rcode_name(unsigned rcode) {
    static constexpr std::array<const char*, 6> kNames = {"NOERROR",  "FORMERR", "SERVFAIL",
                                                          "NXDOMAIN", "NOTIMP",  "REFUSED"};
    return rcode < kNames.size() ? kNames[rcode] : "other";
}

uint16_t random_id() {
    static std::mt19937 generator{std::random_device{}()};
    return static_cast<uint16_t>(generator());
}

} // namespace

bool Endpoint::parse(const std::string& host, uint16_t port, Endpoint& out) {
    out = Endpoint{};
    auto* v4 = reinterpret_cast<sockaddr_in*>(&out.address);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.address);
    if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        out.length = sizeof(sockaddr_in);
        return true;
    }
    if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        out.length = sizeof(sockaddr_in6);
        return true;
    }
    return false;
}

std::string Endpoint::to_string() const {
    char text[INET6_ADDRSTRLEN] = "?";
    if (address.ss_family == AF_INET) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
        inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
        return fmt::format("{}:{}", text, ntohs(v4->sin_port));
    }
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
    return fmt::format("[{}]:{}", text, ntohs(v6->sin6_port));
}

std::string ProbeSpec::name() const {
    return fmt::format("{} {}", kind == Kind::dns ? "dns" : "http", target.to_string());
}

bool encode_dns_name(const std::string& name, std::vector<uint8_t>& out) {
    out.clear();
    if (name.empty()) return false;
    if (name == ".") {
        out.push_back(0);
        return true;
    }
    size_t start = 0;
    while (start < name.size()) {
        size_t dot = name.find('.', start);
        if (dot == std::string::npos) dot = name.size();
        const size_t length = dot - start;
        if (length == 0 || length > dns::kMaxLabelLength) return false;
        out.push_back(static_cast<uint8_t>(length));
        for (size_t i = start; i < dot; ++i) {
            const unsigned char c = static_cast<unsigned char>(name[i]);
            if (c <= 0x20 || c >= 0x7f) return false;
            out.push_back(dns::ascii_lower(c));
        }
        start = dot + 1;
    }
    out.push_back(0);
    return out.size() <= dns::kMaxNameLength;
}

bool parse_dns_type(const std::string& name, uint16_t& out) {
    static constexpr std::array<std::pair<const char*, uint16_t>, 6> kTypes = {
        {{"A", 1}, {"NS", 2}, {"SOA", 6}, {"MX", 15}, {"TXT", 16}, {"AAAA", 28}}};
    for (const auto& [text, type] : kTypes)
        if (name == text) {
            out = type;
            return true;
        }
    return false;
}

std::vector<uint8_t> build_dns_query(uint16_t id, const std::vector<uint8_t>& qname,
                                     uint16_t qtype) {
    // RD clear: an authoritative server is asked for its own data. QDCOUNT 1.
    const std::array<uint8_t, kDnsHeader> header = {
        static_cast<uint8_t>(id >> 8), static_cast<uint8_t>(id), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    std::vector<uint8_t> query;
    query.reserve(kDnsHeader + qname.size() + 4);
    for (uint8_t byte : header)
        query.push_back(byte);
    for (uint8_t byte : qname)
        query.push_back(byte);
    for (uint8_t byte : {static_cast<uint8_t>(qtype >> 8), static_cast<uint8_t>(qtype), uint8_t{0},
                         static_cast<uint8_t>(kClassIn)})
        query.push_back(byte);
    return query;
}

std::string check_dns_answer(const uint8_t* reply, size_t length, const uint8_t* query,
                             size_t query_length) {
    if (length < kDnsHeader) return "short reply";
    if (read16(reply) != read16(query)) return "wrong ID";
    if (!(reply[2] & kFlagQr)) return "not a reply";
    const unsigned rcode = reply[3] & 0x0f;
    if (rcode != 0) return fmt::format("rcode {}", rcode_name(rcode));
    // RFC 1035 §4.1.1: the question is echoed; compare it (case-insensitively: RFC 4343).
    const size_t question = query_length - kDnsHeader;
    if (read16(reply + 4) != 1 || length < query_length) return "question missing";
    for (size_t i = 0; i < question; ++i)
        if (dns::ascii_lower(reply[kDnsHeader + i]) != dns::ascii_lower(query[kDnsHeader + i]))
            return "question differs";
    if (!(reply[2] & kFlagAa)) return "not authoritative";
    if (read16(reply + 6) == 0) return "no answer";
    return {};
}

bool Probe::open_socket(int type, std::string& error) {
    fd_ = socket(spec_.target.address.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
        error = fmt::format("socket: {}", std::strerror(errno));
        return false;
    }
    if (!spec_.interface.empty() &&
        setsockopt(fd_, SOL_SOCKET, SO_BINDTODEVICE, spec_.interface.c_str(),
                   static_cast<socklen_t>(spec_.interface.size())) != 0) {
        error = fmt::format("bind to {}: {}", spec_.interface, std::strerror(errno));
        return false;
    }
    // UDP: connect() makes the kernel deliver only the target's replies (and ICMP errors).
    // TCP: the handshake starts; EINPROGRESS is the normal non-blocking answer.
    if (connect(fd_, reinterpret_cast<const sockaddr*>(&spec_.target.address),
                spec_.target.length) != 0 &&
        errno != EINPROGRESS) {
        error = fmt::format("connect: {}", std::strerror(errno));
        return false;
    }
    return true;
}

void Probe::start(Clock::duration timeout, Done done) {
    cancel();
    done_ = std::move(done);
    started_ = Clock::now();
    std::string error;
    if (!open_socket(spec_.kind == ProbeSpec::Kind::dns ? SOCK_DGRAM : SOCK_STREAM, error)) {
        // Reported from the loop, like every other result, never from inside start().
        if (fd_ >= 0) close(fd_);
        fd_ = -1;
        timer_ = reactor_.after(Clock::duration::zero(), [this, error] {
            timer_ = 0;
            ProbeResult result{false, Clock::now() - started_, error};
            Done done = std::move(done_);
            done_ = nullptr;
            if (done) done(std::move(result));
        });
        return;
    }
    timer_ = reactor_.after(timeout, [this] {
        timer_ = 0;
        finish(false, "timeout");
    });
    if (spec_.kind == ProbeSpec::Kind::dns) {
        dns_id_ = random_id();
        dns_query_ = build_dns_query(dns_id_, spec_.qname, spec_.qtype);
        if (send(fd_, dns_query_.data(), dns_query_.size(), 0) !=
            static_cast<ssize_t>(dns_query_.size())) {
            finish(false, fmt::format("send: {}", std::strerror(errno)));
            return;
        }
        reactor_.add(fd_, EPOLLIN, [this](uint32_t) { on_dns_readable(); });
        registered_ = true;
    } else {
        const std::string host =
            spec_.http_host.empty() ? spec_.target.to_string() : spec_.http_host;
        http_buffer_ = fmt::format("GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: ringcastd-health"
                                   "\r\nConnection: close\r\n\r\n",
                                   spec_.http_path, host);
        http_sent_ = 0;
        http_connected_ = false;
        reactor_.add(fd_, EPOLLOUT, [this](uint32_t events) { on_http_event(events); });
        registered_ = true;
    }
}

void Probe::cancel() {
    reactor_.cancel(timer_);
    if (fd_ >= 0) {
        if (registered_) reactor_.remove(fd_);
        registered_ = false;
        close(fd_);
        fd_ = -1;
    }
    done_ = nullptr;
}

void Probe::finish(bool ok, std::string error, bool wrong_answer) {
    ProbeResult result{ok, Clock::now() - started_, std::move(error), wrong_answer && !ok};
    Done done = std::move(done_);
    cancel();
    if (done) done(std::move(result));
}

void Probe::on_dns_readable() {
    std::array<uint8_t, kMaxDnsMessage> reply;
    const ssize_t n = recv(fd_, reply.data(), reply.size(), 0);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) return;
        finish(false, fmt::format("recv: {}", std::strerror(errno))); // e.g. ICMP unreachable
        return;
    }
    std::string problem = check_dns_answer(reply.data(), static_cast<size_t>(n), dns_query_.data(),
                                           dns_query_.size());
    // A stray datagram with another ID is not this check's answer: keep waiting.
    if (problem == "wrong ID") return;
    const bool ok = problem.empty(); // before the move below: argument order is unspecified
    finish(ok, std::move(problem), !ok);
}

void Probe::on_http_event(uint32_t events) {
    if (!http_connected_) {
        int error = 0;
        socklen_t length = sizeof(error);
        getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0) {
            finish(false, fmt::format("connect: {}", std::strerror(error)));
            return;
        }
        http_connected_ = true;
    }
    if (http_sent_ < http_buffer_.size()) {
        const ssize_t n = send(fd_, http_buffer_.data() + http_sent_,
                               http_buffer_.size() - http_sent_, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) return;
            finish(false, fmt::format("send: {}", std::strerror(errno)));
            return;
        }
        http_sent_ += static_cast<size_t>(n);
        if (http_sent_ == http_buffer_.size()) {
            http_buffer_.clear();
            reactor_.modify(fd_, EPOLLIN);
        }
        return;
    }
    if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR))) return;
    char chunk[512];
    const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) return;
        finish(false, fmt::format("recv: {}", std::strerror(errno)));
        return;
    }
    http_buffer_.append(chunk, static_cast<size_t>(n));
    const size_t end = http_buffer_.find("\r\n");
    if (end == std::string::npos) {
        if (n == 0)
            finish(false, "connection closed before the status line");
        else if (http_buffer_.size() > kMaxHttpStatusLine)
            finish(false, "status line too long");
        return;
    }
    // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
    const std::string line = http_buffer_.substr(0, end);
    if (line.size() < 12 || line.compare(0, 5, "HTTP/") != 0 || line[8] != ' ') {
        finish(false, "not an HTTP status line");
        return;
    }
    const std::string code = line.substr(9, 3);
    if (code == "200")
        finish(true, {});
    else
        finish(false, fmt::format("status {}", code), true);
}

} // namespace ringcast::health
