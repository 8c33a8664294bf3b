#include "controlplane/bgp/sidecar.h"

#include "controlplane/bgp/bird_driver.h"
#include "controlplane/bgp/exabgp_driver.h"
#include "controlplane/bgp/gobgp_driver.h"

#include <fmt/format.h>
#include <sstream>
#include <stdexcept>

namespace ringcast::bgp {

int64_t parse_uptime(const std::string& text) {
    // h:mm:ss with one or two hour digits or more; every field decimal, minutes and seconds < 60.
    int64_t fields[3] = {0, 0, 0};
    size_t field = 0, digits = 0;
    for (const char c : text) {
        if (c == ':') {
            if (digits == 0 || ++field > 2) return -1;
            digits = 0;
        } else if (c >= '0' && c <= '9') {
            if (++digits > 9) return -1;
            fields[field] = fields[field] * 10 + (c - '0');
        } else {
            return -1;
        }
    }
    if (field != 2 || digits == 0 || fields[1] > 59 || fields[2] > 59) return -1;
    return fields[0] * 3600 + fields[1] * 60 + fields[2];
}

SessionInfo parse_neighbor_row(const std::string& table, const std::string& peer,
                               std::span<const StateWord> words, std::string_view daemon) {
    std::istringstream in(table);
    for (std::string row; std::getline(in, row);) {
        std::istringstream fields(row);
        std::string first;
        fields >> first;
        if (first != peer) continue;
        int64_t uptime = -1;
        for (std::string f; fields >> f;) {
            if (const int64_t u = parse_uptime(f); u >= 0) uptime = u;
            for (const StateWord& w : words) {
                if (f != w.word) continue;
                const std::string info(w.label.empty() ? w.word : w.label);
                // Only an established session's age is worth reporting: it shows a restart.
                if (w.state == SessionState::established) return {w.state, info, uptime};
                return {w.state, info};
            }
        }
        return {SessionState::unknown, trimmed(row)};
    }
    return {SessionState::unknown, fmt::format("{} has no neighbor {}", daemon, peer)};
}

std::string trimmed(const std::string& text) {
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

const char* session_state_name(SessionState state) {
    switch (state) {
    case SessionState::established:
        return "established";
    case SessionState::connecting:
        return "connecting";
    case SessionState::idle:
        return "idle";
    case SessionState::down:
        return "down";
    case SessionState::unknown:
        return "unknown";
    }
    return "unknown";
}

std::unique_ptr<Sidecar> make_sidecar(const config::BgpConfig& config) {
    if (config.sidecar == "bird") return std::make_unique<BirdDriver>(config);
    if (config.sidecar == "exabgp") return std::make_unique<ExabgpDriver>(config);
    if (config.sidecar == "gobgp") return std::make_unique<GobgpDriver>(config);
    throw std::invalid_argument("unknown BGP sidecar \"" + config.sidecar + "\"");
}

Announcement announcement_for(const config::BgpPrefix& prefix, bool draining) {
    Announcement a{prefix.prefix, prefix.communities, prefix.large_communities, prefix.prepend};
    if (draining) {
        a.communities.push_back(kGracefulShutdown);
        a.prepend += prefix.drain_prepend;
    }
    return a;
}

} // namespace ringcast::bgp
