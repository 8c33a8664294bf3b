#include "dataplane/stats/counters.h"

namespace ringcast::stats {

#define RINGCAST_INFO_ENTRY(name, help) CounterInfo{#name, help},
const std::array<CounterInfo, kCounterCount> kCounterInfo{
    {RINGCAST_PACKET_COUNTERS(RINGCAST_INFO_ENTRY)}};
const std::array<CounterInfo, kDropReasonCount> kDropReasonInfo{
    {RINGCAST_DROP_REASONS(RINGCAST_INFO_ENTRY)}};
#undef RINGCAST_INFO_ENTRY

std::string_view rcode_name(size_t rcode) {
    static constexpr std::array<std::string_view, kRcodeSlots> kNames{
        "NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",   "REFUSED",
        "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE",  "DSOTYPENI",
        "RCODE12",  "RCODE13", "RCODE14",  "RCODE15",  "BADVERS",  "BADKEY",
        "BADTIME",  "BADMODE", "BADNAME",  "BADALG",   "BADTRUNC", "BADCOOKIE"};
    return rcode < kNames.size() ? kNames[rcode] : "RCODE?";
}

LcoreCounters& LcoreCounters::operator+=(const LcoreCounters& other) {
    for (size_t i = 0; i < counter.size(); ++i)
        counter[i] += other.counter[i];
    for (size_t i = 0; i < drop.size(); ++i)
        drop[i] += other.drop[i];
    for (size_t i = 0; i < dns_rcode.size(); ++i)
        dns_rcode[i] += other.dns_rcode[i];
    return *this;
}

} // namespace ringcast::stats
