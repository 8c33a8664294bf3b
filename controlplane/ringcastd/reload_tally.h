// How reload requests ended, for `status` and the metrics. One rule for every way a reload is
// asked for (admin `reload`, admin `reload-zone`, SIGHUP): a request that does not end with its
// generation served is a failure, whatever refused it, counted under the admin error code of
// its reply:
//   busy         another reload is running (a SIGHUP then is not refused: it runs after it)
//   not_found    reload-zone of a zone the configuration does not have
//   rejected     the configuration, a zone or the content does not compile, or the dataplane
//                refused the snapshot
//   unavailable  ringcastd is stopping, or the dataplane did not answer the load
#pragma once

#include "controlplane/admin/protocol.h"

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

namespace ringcast::daemon {

// The reasons, in the order status and the metrics list them. A reply whose code is none of
// these (a new code nobody added here) counts as `rejected`.
inline constexpr std::array<std::string_view, 4> kReloadFailureReasons{
    admin::code::kBusy, admin::code::kNotFound, admin::code::kRejected, admin::code::kUnavailable};
inline constexpr size_t kReloadFailureReasonCount = kReloadFailureReasons.size();
inline constexpr size_t kReloadRejected = 2;
static_assert(kReloadFailureReasons[kReloadRejected] == admin::code::kRejected);

class ReloadTally {
  public:
    // Counts one finished reload request from its reply (ok, or an error with a "code").
    void record(const nlohmann::json& reply);

    uint64_t ok() const { return ok_; }
    uint64_t failed() const; // every reason summed
    // Failures with reason kReloadFailureReasons[i].
    uint64_t failed(size_t reason) const { return failed_[reason]; }
    // {"busy": n, "not_found": n, ...}, every reason present.
    nlohmann::json failures_json() const;

  private:
    uint64_t ok_ = 0;
    std::array<uint64_t, kReloadFailureReasonCount> failed_{};
};

} // namespace ringcast::daemon
