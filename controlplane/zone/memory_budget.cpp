#include "controlplane/zone/memory_budget.h"

#include <fmt/format.h>

namespace ringcast::zone {

namespace {

constexpr uint64_t kBytesPerMib = uint64_t{1} << 20;

template <typename T>
uint64_t bytes_of(const std::vector<T>& v) {
    return v.size() * sizeof(T);
}

// Rounded up: an estimate of 0.4 MiB over a limit must not print as "0 MiB".
uint64_t mib(uint64_t bytes) {
    return (bytes + kBytesPerMib - 1) / kBytesPerMib;
}

} // namespace

uint64_t parsed_bytes_estimate(uint64_t file_bytes) {
    return file_bytes / kBytesPerRecordGuess * sizeof(Record) + file_bytes;
}

uint64_t parsed_bytes(const ParsedZone& zone) {
    return bytes_of(zone.records) + bytes_of(zone.bytes);
}

uint64_t tree_bytes(const ZoneTree& tree) {
    return tree.names.memory_bytes() + bytes_of(tree.nodes) + bytes_of(tree.rrsets) +
           bytes_of(tree.rrs) + bytes_of(tree.out_of_zone);
}

bool MemoryBudget::charge(uint64_t bytes) {
    used_ += bytes;
    return limit_ == kNoLimit || used_ <= limit_;
}

std::string MemoryBudget::over_limit_message(const std::string& zone, const std::string& step,
                                             uint64_t needed) const {
    return fmt::format("zone {}: {} needs about {} MiB in all, above the compile memory limit of "
                       "{} MiB ([zones] compile_memory_limit)",
                       zone, step, mib(needed), mib(limit_));
}

} // namespace ringcast::zone
