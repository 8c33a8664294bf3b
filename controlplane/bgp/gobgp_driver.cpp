#include "controlplane/bgp/gobgp_driver.h"

#include "controlplane/bgp/run_command.h"

#include <fmt/format.h>
#include <sstream>

namespace ringcast::bgp {
namespace {

const char* family(const std::string& prefix) {
    return prefix.find(':') != std::string::npos ? "ipv6" : "ipv4";
}

} // namespace

std::vector<std::string> gobgp_add_args(const Announcement& a) {
    std::vector<std::string> args{"-a", family(a.prefix), "add", a.prefix};
    if (a.prepend > 0) {
        // gobgpd puts its own AS in front on eBGP; the path given here is the prepends.
        args.push_back("aspath");
        args.push_back("PREPEND"); // replaced by GobgpDriver with local_as copies
    }
    if (!a.communities.empty()) {
        args.push_back("community");
        args.push_back(fmt::format("{}", fmt::join(a.communities, ",")));
    }
    if (!a.large_communities.empty()) {
        args.push_back("large-community");
        args.push_back(fmt::format("{}", fmt::join(a.large_communities, ",")));
    }
    return args;
}

std::vector<std::string> gobgp_del_args(const std::string& prefix) {
    return {"-a", family(prefix), "del", prefix};
}

SessionInfo parse_gobgp_neighbors(const std::string& output, const std::string& peer) {
    // Peer  AS  Up/Down  State  |#Received  Accepted
    // 198.51.100.1  64501  00:00:12  Establ  |  0  0
    static constexpr StateWord kWords[] = {{"Establ", SessionState::established, "Established"},
                                           {"Idle", SessionState::idle},
                                           {"Active", SessionState::connecting},
                                           {"Connect", SessionState::connecting},
                                           {"Sent", SessionState::connecting},
                                           {"Confirm", SessionState::connecting}};
    return parse_neighbor_row(output, peer, kWords, "gobgpd");
}

GobgpDriver::GobgpDriver(const config::BgpConfig& config)
    : binary_(config.gobgp_binary), peer_(config.protocol), local_as_(config.local_as) {
    const size_t colon = config.gobgp_api.rfind(':');
    host_ = config.gobgp_api.substr(0, colon);
    port_ = colon == std::string::npos ? "50051" : config.gobgp_api.substr(colon + 1);
    if (host_.size() > 2 && host_.front() == '[') host_ = host_.substr(1, host_.size() - 2);
    for (const config::BgpPrefix& p : config.prefixes)
        configured_.push_back(p.prefix);
}

std::vector<std::string> GobgpDriver::base_argv() const {
    return {binary_, "-u", host_, "-p", port_};
}

ApplyResult GobgpDriver::apply(const std::vector<Announcement>& batch) {
    ApplyResult result;
    const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(kSidecarTimeout);
    std::map<std::string, Announcement> wanted;
    for (const Announcement& a : batch)
        wanted.emplace(a.prefix, a);
    std::vector<std::vector<std::string>> commands;
    auto global_rib = [this](std::vector<std::string> args) {
        std::vector<std::string> argv = base_argv();
        argv.push_back("global");
        argv.push_back("rib");
        for (std::string& a : args)
            argv.push_back(std::move(a));
        return argv;
    };
    const std::vector<std::string> withdraw_from =
        announced_ ? [&] {
            std::vector<std::string> v;
            for (const auto& [prefix, a] : *announced_)
                v.push_back(prefix);
            return v;
        }()
                   : configured_;
    for (const std::string& prefix : withdraw_from)
        if (!wanted.count(prefix)) commands.push_back(global_rib(gobgp_del_args(prefix)));
    for (const auto& [prefix, a] : wanted) {
        if (announced_ && announced_->count(prefix) && announced_->at(prefix) == a) continue;
        std::vector<std::string> args = gobgp_add_args(a);
        for (size_t i = 0; i < args.size(); ++i)
            if (args[i] == "PREPEND") {
                std::vector<uint32_t> path(a.prepend, local_as_);
                args[i] = fmt::format("{}", fmt::join(path, ","));
            }
        commands.push_back(global_rib(std::move(args)));
    }
    std::vector<std::string> done;
    for (const auto& argv : commands) {
        const CommandResult r = run_command(argv, timeout);
        const std::string shown = fmt::format("{}", fmt::join(argv.begin() + 5, argv.end(), " "));
        const std::string output = trimmed(r.output);
        if (!r.ran || r.exit_status != 0 || !output.empty()) {
            result.error = !r.ran ? r.error
                                  : fmt::format("gobgp {} (exit {}): {}", shown, r.exit_status,
                                                output.empty() ? "no output" : output);
            announced_.reset();
            result.detail = fmt::format("{}", fmt::join(done, "; "));
            return result;
        }
        done.push_back(shown);
    }
    announced_ = std::move(wanted);
    result.ok = true;
    result.detail = done.empty() ? "nothing changed" : fmt::format("{}", fmt::join(done, "; "));
    return result;
}

SessionInfo GobgpDriver::session_state() {
    std::vector<std::string> argv = base_argv();
    argv.push_back("neighbor");
    const CommandResult r =
        run_command(argv, std::chrono::duration_cast<std::chrono::milliseconds>(kSidecarTimeout));
    if (!r.ran) return {SessionState::unknown, r.error};
    if (r.exit_status != 0) return {SessionState::unknown, trimmed(r.output)};
    return parse_gobgp_neighbors(r.output, peer_);
}

} // namespace ringcast::bgp
