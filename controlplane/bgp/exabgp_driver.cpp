#include "controlplane/bgp/exabgp_driver.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sstream>
#include <unistd.h>

namespace ringcast::bgp {
namespace {

constexpr const char* kDone = "done";
constexpr const char* kError = "error";
constexpr const char* kShutdown = "shutdown";

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    return left.count() <= 0 ? 0 : static_cast<int>(left.count());
}

} // namespace

std::string exabgp_announce(const Announcement& a, uint32_t local_as) {
    std::string line = fmt::format("announce route {} next-hop self", a.prefix);
    if (!a.communities.empty())
        line += fmt::format(" community [{}]", fmt::join(a.communities, " "));
    if (!a.large_communities.empty())
        line += fmt::format(" large-community [{}]", fmt::join(a.large_communities, " "));
    if (a.prepend > 0) {
        // ExaBGP sends an AS_PATH it is given as it is: the first AS must be our own (RFC 4271
        // §5.1.2), then the prepends.
        std::vector<uint32_t> path(a.prepend + 1, local_as);
        line += fmt::format(" as-path [{}]", fmt::join(path, " "));
    }
    return line;
}

std::string exabgp_withdraw(const std::string& prefix) {
    return fmt::format("withdraw route {} next-hop self", prefix);
}

SessionInfo parse_exabgp_summary(const std::string& output, const std::string& peer) {
    static constexpr StateWord kWords[] = {{"established", SessionState::established},
                                           {"idle", SessionState::idle},
                                           {"down", SessionState::down},
                                           {"connect", SessionState::connecting},
                                           {"active", SessionState::connecting},
                                           {"opensent", SessionState::connecting},
                                           {"openconfirm", SessionState::connecting}};
    return parse_neighbor_row(output, peer, kWords, "ExaBGP");
}

ExabgpDriver::ExabgpDriver(const config::BgpConfig& config)
    : pipe_in_(config.exabgp_pipe_in), pipe_out_(config.exabgp_pipe_out), peer_(config.protocol),
      local_as_(config.local_as) {
    for (const config::BgpPrefix& p : config.prefixes)
        configured_.push_back(p.prefix);
}

bool ExabgpDriver::command(const std::string& line, std::string& output, std::string& error) {
    const auto deadline = std::chrono::steady_clock::now() + kSidecarTimeout;
    // The reader first (O_NONBLOCK opens a FIFO for reading at once), and whatever an earlier,
    // interrupted command left there is discarded so it is not taken for this one's answer.
    const int reader = open(pipe_out_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (reader < 0) {
        error = fmt::format("ExaBGP pipe {}: {}", pipe_out_, std::strerror(errno));
        return false;
    }
    char buffer[4096];
    while (read(reader, buffer, sizeof(buffer)) > 0) {
    }
    // Opening the writer without blocking fails with ENXIO when ExaBGP does not hold the
    // pipe open: ExaBGP is not running.
    const int writer = open(pipe_in_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (writer < 0) {
        error = fmt::format("ExaBGP pipe {}: {}{}", pipe_in_, std::strerror(errno),
                            errno == ENXIO ? " (ExaBGP is not running)" : "");
        close(reader);
        return false;
    }
    const std::string request = line + "\n";
    const ssize_t n = write(writer, request.data(), request.size());
    close(writer);
    if (n != static_cast<ssize_t>(request.size())) {
        error = fmt::format("ExaBGP pipe {}: short write", pipe_in_);
        close(reader);
        return false;
    }
    std::string pending;
    for (;;) {
        pollfd p{reader, POLLIN, 0};
        const int ready = poll(&p, 1, remaining_ms(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) {
            error = fmt::format("ExaBGP did not acknowledge \"{}\" in time", line);
            close(reader);
            return false;
        }
        const ssize_t got = read(reader, buffer, sizeof(buffer));
        if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (got <= 0) {
            // No writer yet (ExaBGP opens the out pipe per answer): wait a little and retry.
            if (remaining_ms(deadline) == 0) break;
            usleep(10'000);
            continue;
        }
        pending.append(buffer, static_cast<size_t>(got));
        if (pending.size() > kMaxExabgpReply) {
            error = "ExaBGP's answer is too long";
            break;
        }
        size_t nl;
        while ((nl = pending.find('\n')) != std::string::npos) {
            const std::string row = pending.substr(0, nl);
            pending.erase(0, nl + 1);
            if (row == kDone) {
                close(reader);
                return true;
            }
            if (row == kError || row == kShutdown) {
                error = fmt::format("ExaBGP answered {} to \"{}\"{}", row, line,
                                    output.empty() ? "" : ": " + output);
                close(reader);
                return false;
            }
            output += output.empty() ? row : "\n" + row;
        }
    }
    close(reader);
    if (error.empty()) error = fmt::format("ExaBGP did not acknowledge \"{}\"", line);
    return false;
}

ApplyResult ExabgpDriver::apply(const std::vector<Announcement>& batch) {
    ApplyResult result;
    std::map<std::string, Announcement> wanted;
    for (const Announcement& a : batch)
        wanted.emplace(a.prefix, a);
    std::vector<std::string> lines;
    if (!announced_) {
        // Unknown start: withdraw every configured prefix that is not wanted.
        for (const std::string& prefix : configured_)
            if (!wanted.count(prefix)) lines.push_back(exabgp_withdraw(prefix));
    } else {
        for (const auto& [prefix, a] : *announced_)
            if (!wanted.count(prefix)) lines.push_back(exabgp_withdraw(prefix));
    }
    for (const auto& [prefix, a] : wanted) {
        const bool same = announced_ && announced_->count(prefix) && announced_->at(prefix) == a;
        if (!same) lines.push_back(exabgp_announce(a, local_as_));
    }
    std::vector<std::string> acks;
    for (const std::string& line : lines) {
        std::string output;
        if (!command(line, output, result.error)) {
            announced_.reset(); // partly applied: the next batch says everything again
            result.detail = fmt::format("{}", fmt::join(acks, "; "));
            return result;
        }
        acks.push_back(fmt::format("{}: done", line));
    }
    announced_ = std::move(wanted);
    result.ok = true;
    result.detail = lines.empty() ? "nothing changed" : fmt::format("{}", fmt::join(acks, "; "));
    return result;
}

SessionInfo ExabgpDriver::session_state() {
    std::string output, error;
    if (!command("show neighbor summary", output, error)) return {SessionState::unknown, error};
    return parse_exabgp_summary(output, peer_);
}

} // namespace ringcast::bgp
