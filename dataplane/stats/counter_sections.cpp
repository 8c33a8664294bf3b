#include "dataplane/stats/counter_sections.h"

namespace ringcast::stats {

const std::array<CounterSection, kCounterSectionCount> kCounterSections{{
    {"counters", "", "", "", "", "Packet, ARP/ND, ICMP and DNS counters", kCounterCount,
     [](size_t i) { return kCounterInfo[i].name; }, [](size_t i) { return kCounterInfo[i].help; },
     [](const LcoreCounters& c) { return c.counter.data(); }},
    {"drops", "drop_", "drops by reason", "ringcast_drops_total", "reason",
     "Frames dropped without an answer, by reason (each reason is described in "
     "dataplane/stats/counters.h and by `ringcastctl stats --json`)",
     kDropReasonCount, [](size_t i) { return kDropReasonInfo[i].name; },
     [](size_t i) { return kDropReasonInfo[i].help; },
     [](const LcoreCounters& c) { return c.drop.data(); }},
    {"rcodes", "dns_rcode_", "DNS responses by RCODE", "ringcast_dns_responses_total", "rcode",
     "DNS responses sent, by response code (extended RCODEs included)", kRcodeSlots, rcode_name,
     [](size_t) { return std::string_view("DNS responses sent with this RCODE"); },
     [](const LcoreCounters& c) { return c.dns_rcode.data(); }},
    {"qtypes", "dns_qtype_", "DNS queries by QTYPE", "ringcast_dns_queries_total", "qtype",
     "DNS queries with a question, by QTYPE (OTHER: every type without a slot of its own)",
     kQtypeSlots, qtype_slot_name,
     [](size_t) { return std::string_view("DNS queries asking for this QTYPE"); },
     [](const LcoreCounters& c) { return c.dns_qtype.data(); }},
    {"xdp", "xdp_", "XDP filter verdicts", "ringcast_xdp_verdicts_total", "verdict",
     "Frames the XDP VIP filter sent to the dataplane or passed to the kernel, by verdict "
     "(AF_XDP ports with [dataplane] xdp_vip_filter; counted by the kernel per CPU and shown "
     "with the main lcore)",
     kXdpVerdictCount, [](size_t i) { return kXdpVerdictInfo[i].name; },
     [](size_t i) { return kXdpVerdictInfo[i].help; },
     [](const LcoreCounters& c) { return c.xdp_verdict.data(); }},
}};

} // namespace ringcast::stats
