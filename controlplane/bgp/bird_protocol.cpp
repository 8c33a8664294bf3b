#include "controlplane/bgp/bird_protocol.h"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace ringcast::bgp {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    return left.count() <= 0 ? 0 : static_cast<int>(left.count());
}

} // namespace

std::string BirdReply::text() const {
    std::string out;
    for (const BirdLine& l : lines) {
        if (l.text.empty()) continue;
        if (!out.empty()) out += "; ";
        out += l.text;
    }
    return out;
}

bool BirdReplyParser::feed(std::string_view bytes) {
    bytes_ += bytes.size();
    if (bytes_ > kMaxBirdReplyBytes) {
        error_ = fmt::format("BIRD's reply is longer than {} bytes", kMaxBirdReplyBytes);
        return false;
    }
    pending_.append(bytes);
    size_t start = 0;
    for (;;) {
        if (complete_) break;
        const size_t nl = pending_.find('\n', start);
        if (nl == std::string::npos) break;
        if (!line(std::string_view(pending_).substr(start, nl - start))) return false;
        start = nl + 1;
    }
    pending_.erase(0, start);
    return true;
}

bool BirdReplyParser::line(std::string_view text) {
    if (!text.empty() && text.front() == '+') return true; // spontaneous printout
    if (!text.empty() && text.front() == ' ') {
        // Continuation: same code as the line before it (a reply never starts with one).
        if (reply_.lines.empty()) {
            error_ = "BIRD sent a continuation line with nothing to continue";
            return false;
        }
        reply_.lines.push_back({reply_.lines.back().code, std::string(text.substr(1))});
        return true;
    }
    if (text.size() < 5 || !is_digit(text[0]) || !is_digit(text[1]) || !is_digit(text[2]) ||
        !is_digit(text[3]) || (text[4] != '-' && text[4] != ' ')) {
        error_ = fmt::format("not BIRD's control protocol: \"{}\"", text.substr(0, 80));
        return false;
    }
    const int code =
        (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
    reply_.lines.push_back({code, std::string(text.substr(5))});
    if (text[4] == ' ') complete_ = true;
    return true;
}

BirdReply BirdReplyParser::take() {
    BirdReply out = std::move(reply_);
    reply_ = BirdReply{};
    complete_ = false;
    // Lines already buffered may hold the next reply.
    std::string rest = std::move(pending_);
    pending_.clear();
    bytes_ = 0;
    if (!rest.empty()) feed(rest);
    return out;
}

bool configure_accepted(const BirdReply& reply) {
    switch (reply.final_code()) {
    case bird_code::kReconfigured:
    case bird_code::kReconfigurationInProgress:
    case bird_code::kReconfigurationQueued:
    case bird_code::kReconfigurationConfirmed:
    case bird_code::kNothingToDo:
    case bird_code::kConfigurationOk:
        return true;
    default:
        return false;
    }
}

BirdClient::~BirdClient() {
    if (fd_ >= 0) close(fd_);
}

bool BirdClient::connect(std::chrono::milliseconds timeout, std::string& error) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path_.size() >= sizeof(addr.sun_path)) {
        error = fmt::format("{}: socket path too long", path_);
        return false;
    }
    std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
    fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
        error = fmt::format("BIRD control socket {}: {}", path_, std::strerror(errno));
        return false;
    }
    auto welcome = read_reply(std::chrono::steady_clock::now() + timeout, error);
    if (!welcome) return false;
    if (welcome->final_code() != bird_code::kWelcome) {
        error = fmt::format("BIRD control socket {}: no welcome ({})", path_, welcome->text());
        return false;
    }
    return true;
}

std::optional<BirdReply> BirdClient::command(const std::string& line,
                                             std::chrono::milliseconds timeout,
                                             std::string& error) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::string request = line + "\n";
    size_t done = 0;
    while (done < request.size()) {
        const ssize_t n = send(fd_, request.data() + done, request.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            error = fmt::format("BIRD control socket: send: {}", std::strerror(errno));
            return std::nullopt;
        }
        done += static_cast<size_t>(n);
    }
    return read_reply(deadline, error);
}

std::optional<BirdReply> BirdClient::read_reply(std::chrono::steady_clock::time_point deadline,
                                                std::string& error) {
    char buffer[4096];
    while (!parser_.complete()) {
        pollfd p{fd_, POLLIN, 0};
        const int ready = poll(&p, 1, remaining_ms(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) {
            error = "BIRD did not answer in time";
            return std::nullopt;
        }
        const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            error = n == 0 ? "BIRD closed the control socket"
                           : fmt::format("BIRD control socket: {}", std::strerror(errno));
            return std::nullopt;
        }
        if (!parser_.feed(std::string_view(buffer, static_cast<size_t>(n)))) {
            error = parser_.error();
            return std::nullopt;
        }
    }
    return parser_.take();
}

} // namespace ringcast::bgp
