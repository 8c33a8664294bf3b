#include "controlplane/health/scheduler.h"

#include <fmt/format.h>

namespace ringcast::health {
namespace {

int64_t to_us(Clock::duration d) {
    return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

} // namespace

bool RiseFall::record(bool ok) {
    if (ok == healthy_) {
        streak_ = 0;
        return false;
    }
    ++streak_;
    if (streak_ < (healthy_ ? fall_ : rise_)) return false;
    healthy_ = ok;
    streak_ = 0;
    return true;
}

nlohmann::json to_json(const HealthReport& report) {
    nlohmann::json probes = nlohmann::json::array();
    for (const auto& probe : report.probes) {
        nlohmann::json entry = {{"name", probe.name},
                                {"healthy", probe.healthy},
                                {"checks", probe.checks},
                                {"failures", probe.failures}};
        if (probe.checked)
            entry["last"] = {{"ok", probe.last.ok},
                             {"latency_us", to_us(probe.last.latency)},
                             {"error", probe.last.error}};
        probes.push_back(std::move(entry));
    }
    return {{"healthy", report.healthy},
            {"probes", std::move(probes)},
            {"rechecks", report.rechecks},
            {"last_recheck_reason", report.last_recheck_reason}};
}

Scheduler::Scheduler(Reactor& reactor, Settings settings, std::vector<ProbeSpec> probes,
                     Changed on_change)
    : reactor_(reactor), settings_(settings), on_change_(std::move(on_change)) {
    for (auto& spec : probes) {
        ProbeStatus status;
        status.name = spec.name();
        report_.probes.push_back(std::move(status));
        probes_.push_back(std::make_unique<Probe>(reactor_, std::move(spec)));
        states_.emplace_back(settings_.rise, settings_.fall);
    }
}

void Scheduler::start() {
    if (running_) return;
    running_ = true;
    round();
}

void Scheduler::stop() {
    running_ = false;
    reactor_.cancel(timer_);
    for (auto& probe : probes_)
        probe->cancel();
}

void Scheduler::recheck(const std::string& reason) {
    ++report_.rechecks;
    report_.last_recheck_reason = reason;
    if (!running_) return;
    reactor_.cancel(timer_);
    round();
}

void Scheduler::round() {
    for (size_t i = 0; i < probes_.size(); ++i) {
        // A check still in flight keeps running: its timeout ends it, and one probe never has
        // two queries outstanding.
        if (probes_[i]->in_flight()) continue;
        probes_[i]->start(settings_.timeout, [this, i](ProbeResult result) { record(i, result); });
    }
    schedule_next();
}

void Scheduler::schedule_next() {
    reactor_.cancel(timer_);
    timer_ = reactor_.after(settings_.interval, [this] {
        timer_ = 0;
        round();
    });
}

bool failure_looks_global(const HealthReport& report) {
    bool unhealthy = false;
    for (const ProbeStatus& probe : report.probes) {
        if (probe.healthy) continue;
        if (!probe.checked) return false;
        unhealthy = true;
        // Rising again (its last check passed, `rise` not reached yet): the fix is arriving.
        if (probe.last.ok) continue;
        if (!probe.last.wrong_answer) return false; // a timeout, a slow answer: this PoP's own
    }
    return unhealthy;
}

void Scheduler::record(size_t probe, const ProbeResult& given) {
    ProbeResult result = given;
    if (result.ok && result.latency > settings_.threshold) {
        // Slowness is this PoP's own (its path, its load): wrong_answer stays false (probe.h).
        result.ok = false;
        result.error = fmt::format("slow: {} ms over the {} ms threshold",
                                   to_us(result.latency) / 1000, to_us(settings_.threshold) / 1000);
    }
    ProbeStatus& status = report_.probes.at(probe);
    status.checked = true;
    status.last = result;
    ++status.checks;
    if (!result.ok) ++status.failures;
    if (!states_[probe].record(result.ok)) return;
    status.healthy = states_[probe].healthy();
    bool all = !report_.probes.empty();
    for (const auto& p : report_.probes)
        all = all && p.healthy;
    report_.healthy = all;
    if (on_change_) on_change_(report_);
}

} // namespace ringcast::health
