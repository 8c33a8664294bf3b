#include "controlplane/ringcastd/catch_up.h"

#include "controlplane/ringcastd/backoff.h"

#include <algorithm>

namespace ringcast::daemon {

void CatchUp::dataplane_ready(Generations serving) {
    now_serving(serving);
}

void CatchUp::dataplane_down() {
    now_serving(std::nullopt);
}

void CatchUp::loaded(Generations serving) {
    now_serving(serving);
}

void CatchUp::now_serving(std::optional<Generations> serving) {
    serving_ = serving;
    failures_ = 0;
    last_error_.clear();
}

std::chrono::milliseconds CatchUp::failed(const std::string& error, Clock::time_point now) {
    ++failures_;
    last_error_ = error;
    const std::chrono::milliseconds delay =
        doubling_delay(failures_, kFirstCatchUpRetry, kMaxCatchUpRetry);
    next_attempt_ = now + delay;
    return delay;
}

nlohmann::json CatchUp::to_json(Generations compiled, Clock::time_point now) const {
    nlohmann::json out{{"serving_generation", nullptr},
                       {"serving_content_generation", nullptr},
                       {"catch_up_pending", pending(compiled)}};
    if (serving_) {
        out["serving_generation"] = serving_->snapshot;
        out["serving_content_generation"] = serving_->content;
    }
    if (pending(compiled) && failures_ > 0) {
        out["catch_up_failures"] = failures_;
        out["catch_up_last_error"] = last_error_;
        out["catch_up_next_attempt_in_ms"] = std::max<int64_t>(
            0, std::chrono::duration_cast<std::chrono::milliseconds>(next_attempt_ - now).count());
    }
    return out;
}

} // namespace ringcast::daemon
