#include "dataplane/tcp/timer_wheel.h"

#include <algorithm>

namespace ringcast::tcp {

TimerWheel::TimerWheel(uint32_t capacity, uint64_t now_us)
    : nodes_(capacity), heads_(kTimerSlots, kNone), swept_tick_(now_us / kTimerTickUs) {}

void TimerWheel::unlink(uint32_t id) {
    Node& node = nodes_[id];
    if (node.prev != kNone) {
        nodes_[node.prev].next = node.next;
    } else {
        heads_[node.slot] = node.next;
    }
    if (node.next != kNone) nodes_[node.next].prev = node.prev;
    node.slot = node.prev = node.next = kNone;
    --armed_count_;
}

void TimerWheel::arm(uint32_t id, uint64_t deadline_us) {
    if (armed(id)) unlink(id);
    // A deadline already due goes in the next slot to sweep, so it fires on the next sweep.
    const uint64_t tick = std::max(tick_of(deadline_us), swept_tick_ + 1);
    Node& node = nodes_[id];
    node.deadline_us = deadline_us;
    node.slot = static_cast<uint32_t>(tick % kTimerSlots);
    node.prev = kNone;
    node.next = heads_[node.slot];
    if (node.next != kNone) nodes_[node.next].prev = id;
    heads_[node.slot] = id;
    ++armed_count_;
}

void TimerWheel::cancel(uint32_t id) {
    if (armed(id)) unlink(id);
}

} // namespace ringcast::tcp
