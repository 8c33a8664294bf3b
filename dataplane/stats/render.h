// Counters rendered as text, one "name value" line each, from the tables in counters.h.
#pragma once

#include "dataplane/stats/counters.h"

#include <string>

namespace ringcast::stats {

// Plain counters by name, drops as "drop_<reason>", responses as "dns_rcode_<RCODE>".
std::string render_text(const LcoreCounters& counters);

} // namespace ringcast::stats
