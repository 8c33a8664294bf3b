#include "controlplane/ringcastd/reload_tally.h"

#include <numeric>
#include <string>

namespace ringcast::daemon {

namespace {

size_t reason_of(const nlohmann::json& reply) {
    const std::string code = reply.value("code", std::string());
    for (size_t i = 0; i < kReloadFailureReasons.size(); ++i)
        if (code == kReloadFailureReasons[i]) return i;
    return kReloadRejected;
}

} // namespace

void ReloadTally::record(const nlohmann::json& reply) {
    if (reply.value("ok", false))
        ++ok_;
    else
        ++failed_[reason_of(reply)];
}

uint64_t ReloadTally::failed() const {
    return std::accumulate(failed_.begin(), failed_.end(), uint64_t{0});
}

nlohmann::json ReloadTally::failures_json() const {
    nlohmann::json out = nlohmann::json::object();
    for (size_t i = 0; i < kReloadFailureReasons.size(); ++i)
        out[std::string(kReloadFailureReasons[i])] = failed_[i];
    return out;
}

} // namespace ringcast::daemon
