// The probes and settings [health] asks for: a DNS probe of every VIP, and an HTTP probe of
// every VIP when [health] http is on.
#pragma once

#include "controlplane/config/config.h"
#include "controlplane/health/scheduler.h"

#include <string>
#include <vector>

namespace ringcast::health {

Settings settings_from_config(const config::HealthConfig& health);
// False with `error` set if a VIP or the name cannot be used (the config parser has checked them).
bool probes_from_config(const config::Config& config, std::vector<ProbeSpec>& out,
                        std::string& error);

} // namespace ringcast::health
