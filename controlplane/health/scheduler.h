// The health scheduler: runs every probe each interval on the reactor (never blocking), turns
// results into a healthy/unhealthy verdict per probe with rise and fall counts, and reports a
// change at once. An answer slower than the latency threshold counts as a failure, because on
// anycast a slow PoP should give its clients to a faster one. recheck() probes at once (after a
// dataplane restart, a reload, a signal) instead of waiting for the next interval.
#pragma once

#include "controlplane/health/probe.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ringcast::health {

struct Settings {
    Clock::duration interval = std::chrono::milliseconds(500);
    Clock::duration timeout = std::chrono::milliseconds(1500);   // no answer by then: failed
    Clock::duration threshold = std::chrono::milliseconds(1000); // slower: failed
    unsigned rise = 2; // consecutive good checks before an unhealthy probe is healthy again
    unsigned fall = 2; // consecutive bad checks before a healthy probe is unhealthy
};

// The rise/fall state of one probe. It starts unhealthy: a PoP proves itself before it is
// announced.
class RiseFall {
  public:
    RiseFall(unsigned rise, unsigned fall) : rise_(rise), fall_(fall) {}
    bool record(bool ok); // true when the verdict changed
    bool healthy() const { return healthy_; }
    unsigned streak() const { return streak_; } // consecutive results that disagree with it

  private:
    unsigned rise_;
    unsigned fall_;
    bool healthy_ = false;
    unsigned streak_ = 0;
};

struct ProbeStatus {
    std::string name; // "dns 203.0.113.53:53"
    bool healthy = false;
    bool checked = false; // a result exists
    ProbeResult last;
    uint64_t checks = 0;
    uint64_t failures = 0;
};

struct HealthReport {
    bool healthy = false; // every probe healthy (and at least one probe)
    std::vector<ProbeStatus> probes;
    uint64_t rechecks = 0;
    std::string last_recheck_reason; // empty before the first recheck()
};

nlohmann::json to_json(const HealthReport& report);

// Whether an unhealthy report looks like a failure of the data every PoP serves (a bad zone
// or site pushed everywhere) rather than of this PoP: some probe is unhealthy, and every
// unhealthy probe's last check failed on an answer the dataplane gave (an RCODE, no record, an
// HTTP status) or passed (it is rising again: the fixed data is arriving). A timeout or a slow
// answer is this PoP's own. Healthy probes say nothing against it: after a reload they may
// simply not have been asked the new data yet.
bool failure_looks_global(const HealthReport& report);

class Scheduler {
  public:
    using Changed = std::function<void(const HealthReport&)>;

    Scheduler(Reactor& reactor, Settings settings, std::vector<ProbeSpec> probes,
              Changed on_change);
    ~Scheduler() { stop(); }
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    void start(); // first round at once
    void stop();  // abandons the checks in flight
    void recheck(const std::string& reason);
    const HealthReport& report() const { return report_; }

    // Feeds one result as the probe's check would; the scheduler's logic without a network
    // (unit tests) and the seam for results from elsewhere (the sidecar's session state).
    void record(size_t probe, const ProbeResult& result);

  private:
    Reactor& reactor_;
    Settings settings_;
    std::vector<std::unique_ptr<Probe>> probes_;
    std::vector<RiseFall> states_;
    HealthReport report_;
    Changed on_change_;
    Reactor::TimerId timer_ = 0;
    bool running_ = false;

    void round();
    void schedule_next();
};

} // namespace ringcast::health
