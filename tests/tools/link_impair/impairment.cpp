#include "tests/tools/link_impair/impairment.h"

#include <algorithm>

namespace ringcast::tools {

namespace {
constexpr unsigned kPercent = 100;
}

bool Impairment::chance(unsigned percent) {
    if (percent == 0) return false;
    return std::uniform_int_distribution<unsigned>(0, kPercent - 1)(random_) < percent;
}

Decision Impairment::decide() {
    if (chance(settings_.loss_percent)) return {Decision::Action::drop, {}};
    if (chance(settings_.reorder_percent)) return {Decision::Action::reorder, {}};
    const auto jitter = settings_.jitter.count();
    const auto offset =
        jitter == 0 ? 0 : std::uniform_int_distribution<int64_t>(-jitter, jitter)(random_);
    const auto delay = std::max<int64_t>(0, settings_.delay.count() + offset);
    if (delay == 0) return {Decision::Action::pass, {}};
    return {Decision::Action::hold, std::chrono::milliseconds(delay)};
}

HeldPackets::Held HeldPackets::pop() {
    const Held earliest = heap_.top();
    heap_.pop();
    return earliest;
}

} // namespace ringcast::tools
