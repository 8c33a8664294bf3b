// A hashed timing wheel (Varghese and Lauck, 1987): per-lcore timers for connections, armed,
// moved and cancelled in O(1) and swept by the lcore loop between bursts. Entries are indices
// into the caller's fixed pool (one timer per connection), linked through an array of nodes
// allocated once: no allocation after construction.
//
// A deadline further away than one turn of the wheel waits in its slot and is skipped until its
// time: a sweep fires exactly the entries whose deadline has passed.
#pragma once

#include <cstdint>
#include <vector>

namespace ringcast::tcp {

inline constexpr uint32_t kTimerTickUs = 1'000;
inline constexpr uint32_t kTimerSlots = 4096; // one turn: ~4 s at a 1 ms tick

class TimerWheel {
  public:
    static constexpr uint32_t kNone = UINT32_MAX;

    explicit TimerWheel(uint32_t capacity, uint64_t now_us = 0);

    // Arms (or re-arms) timer `id` (< capacity) to fire at `deadline_us`.
    void arm(uint32_t id, uint64_t deadline_us);
    void cancel(uint32_t id);
    bool armed(uint32_t id) const { return nodes_[id].slot != kNone; }
    uint64_t deadline(uint32_t id) const { return nodes_[id].deadline_us; }
    uint32_t armed_count() const { return armed_count_; }

    // Calls `fire(id)` for every timer whose deadline is <= now_us, each disarmed before its
    // call. The callback may re-arm or cancel `id`, and no other timer. Returns the number fired.
    template <typename Fire>
    uint32_t sweep(uint64_t now_us, Fire&& fire);

  private:
    struct Node {
        uint64_t deadline_us = 0;
        uint32_t slot = kNone;
        uint32_t prev = kNone;
        uint32_t next = kNone;
    };
    // The first tick at whose sweep the deadline has passed: rounded up, so sweeping a slot
    // finds every entry of this turn due.
    static uint64_t tick_of(uint64_t deadline_us) {
        return (deadline_us + kTimerTickUs - 1) / kTimerTickUs;
    }
    void unlink(uint32_t id);

    std::vector<Node> nodes_;
    std::vector<uint32_t> heads_;
    uint64_t swept_tick_; // every tick <= this has been swept
    uint32_t armed_count_ = 0;
};

template <typename Fire>
uint32_t TimerWheel::sweep(uint64_t now_us, Fire&& fire) {
    const uint64_t now_tick = now_us / kTimerTickUs;
    uint32_t fired = 0;
    if (now_tick <= swept_tick_) return 0;
    // After a long pause a whole turn covers every slot; more would visit slots twice.
    const uint64_t first =
        now_tick - swept_tick_ > kTimerSlots ? now_tick - kTimerSlots + 1 : swept_tick_ + 1;
    for (uint64_t tick = first; tick <= now_tick; ++tick) {
        uint32_t id = heads_[tick % kTimerSlots];
        while (id != kNone) {
            const uint32_t next = nodes_[id].next;
            if (nodes_[id].deadline_us <= now_us) {
                unlink(id);
                ++fired;
                fire(id);
            }
            id = next;
        }
    }
    swept_tick_ = now_tick;
    return fired;
}

} // namespace ringcast::tcp
