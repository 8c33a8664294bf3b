// Counters rendered as text, one "name value" line each, from the tables in counters.h.
#pragma once

#include "dataplane/stats/counters.h"

#include <string>

namespace ringcast::stats {

// One "<prefix><name> <value>" line per counter of every section in counter_sections.h:
// plain counters by name, then "drop_<reason>", "dns_rcode_<RCODE>", "dns_qtype_<TYPE>".
std::string render_text(const LcoreCounters& counters);

} // namespace ringcast::stats
