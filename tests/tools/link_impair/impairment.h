// What link_impair does to each queued packet, apart from NFQUEUE: the per-packet decision
// (drop, release at once, or hold for the delay) and the packets held until they are due.
//
// Reordering the way netem does it ("delay D reorder P"): a share P of the packets skips the
// delay and goes out at once, ahead of the ones already waiting D, so the receiver sees them
// early. Jitter alone reorders too, as with netem: two packets whose delays differ by more than
// their spacing swap.
#pragma once

#include <chrono>
#include <cstdint>
#include <queue>
#include <random>
#include <vector>

namespace ringcast::tools {

using Clock = std::chrono::steady_clock;

struct ImpairmentSettings {
    std::chrono::milliseconds delay{0};
    std::chrono::milliseconds jitter{0}; // the delay is uniform in [delay - jitter, delay + jitter]
    unsigned reorder_percent = 0;        // released at once instead of delayed
    unsigned loss_percent = 0;           // dropped
};

struct Decision {
    // reorder: released at once, ahead of the held ones; pass: no delay asked (0 ms).
    enum class Action { drop, reorder, hold, pass };
    Action action = Action::pass;
    Clock::duration delay{}; // for hold
};

class Impairment {
  public:
    Impairment(ImpairmentSettings settings, uint64_t seed) : settings_(settings), random_(seed) {}
    Decision decide();

  private:
    ImpairmentSettings settings_;
    std::mt19937_64 random_;
    bool chance(unsigned percent);
};

// The packets waiting for their verdict, earliest due first.
class HeldPackets {
  public:
    struct Held {
        Clock::time_point due;
        uint32_t packet_id; // NFQUEUE's id, for the verdict
    };

    void hold(Clock::time_point due, uint32_t packet_id) { heap_.push({due, packet_id}); }
    bool empty() const { return heap_.empty(); }
    size_t size() const { return heap_.size(); }
    Clock::time_point next_due() const { return heap_.top().due; }
    // Removes and returns the earliest packet (the caller checks next_due() first).
    Held pop();

  private:
    struct LaterFirst {
        bool operator()(const Held& a, const Held& b) const { return a.due > b.due; }
    };
    std::priority_queue<Held, std::vector<Held>, LaterFirst> heap_;
};

} // namespace ringcast::tools
