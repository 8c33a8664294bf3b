#include "controlplane/bgp/sidecar.h"

#include "controlplane/bgp/bird_driver.h"
#include "controlplane/bgp/exabgp_driver.h"
#include "controlplane/bgp/gobgp_driver.h"

#include <stdexcept>

namespace ringcast::bgp {

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
