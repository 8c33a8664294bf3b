#include "dataplane/stats/counters.h"

#include "dataplane/stats/counter_sections.h"

namespace ringcast::stats {

#define RINGCAST_INFO_ENTRY(name, help) CounterInfo{#name, help},
const std::array<CounterInfo, kCounterCount> kCounterInfo{
    {RINGCAST_PACKET_COUNTERS(RINGCAST_INFO_ENTRY)}};
const std::array<CounterInfo, kDropReasonCount> kDropReasonInfo{
    {RINGCAST_DROP_REASONS(RINGCAST_INFO_ENTRY)}};
const std::array<CounterInfo, kXdpVerdictCount> kXdpVerdictInfo{
    {RC_XDP_VERDICTS(RINGCAST_INFO_ENTRY)}};
#undef RINGCAST_INFO_ENTRY

std::string_view rcode_name(size_t slot) {
    static constexpr std::array<std::string_view, kRcodeSlots> kNames{
        "NOERROR", "FORMERR",  "SERVFAIL",  "NXDOMAIN", "NOTIMP",    "REFUSED", "YXDOMAIN",
        "YXRRSET", "NXRRSET",  "NOTAUTH",   "NOTZONE",  "DSOTYPENI", "RCODE12", "RCODE13",
        "RCODE14", "RCODE15",  "BADVERS",   "BADKEY",   "BADTIME",   "BADMODE", "BADNAME",
        "BADALG",  "BADTRUNC", "BADCOOKIE", "OTHER"};
    return slot < kNames.size() ? kNames[slot] : "OTHER";
}

std::string_view qtype_slot_name(size_t slot) {
#define RINGCAST_QTYPE_NAME(name, number) #name,
    static constexpr std::array<std::string_view, kQtypeSlots> kNames{
        RINGCAST_QTYPES(RINGCAST_QTYPE_NAME) "OTHER"};
#undef RINGCAST_QTYPE_NAME
    return slot < kNames.size() ? kNames[slot] : "OTHER";
}

LcoreCounters& LcoreCounters::operator+=(const LcoreCounters& other) {
    for (const CounterSection& section : kCounterSections) {
        uint64_t* mine = section.mutable_values(*this);
        const uint64_t* theirs = section.values(other);
        for (size_t i = 0; i < section.size; ++i)
            mine[i] += theirs[i];
    }
    return *this;
}

} // namespace ringcast::stats
