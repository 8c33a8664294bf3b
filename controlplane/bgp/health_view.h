// The health seam: what ringcastd's probes (controlplane/health/) tell the announcer. Until the
// probes exist, ringcastd fills it from the supervisor: healthy = the dataplane runs and serves
// the current snapshot generation.
#pragma once

#include <string>

namespace ringcast::bgp {

struct HealthView {
    bool healthy = false;
    // The failure would happen on every PoP at once (every probe target fails the same way, the
    // zone itself fails to load): withdrawing everywhere would take the service off the
    // Internet, so the announcer stays announced when the guard is on.
    bool global_failure_suspected = false;
    std::string reason; // why not healthy, for the log and status
};

} // namespace ringcast::bgp
