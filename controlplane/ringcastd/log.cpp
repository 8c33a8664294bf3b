#include "controlplane/ringcastd/log.h"

#include <cstdio>
#include <ctime>

namespace ringcast::log {

void write(std::string_view level, std::string_view message) {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    tm utc{};
    gmtime_r(&now.tv_sec, &utc);
    char stamp[32];
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &utc);
    fmt::print(stderr, "{}.{:03d}Z ringcastd {}: {}\n", stamp, now.tv_nsec / 1000000, level,
               message);
    std::fflush(stderr);
}

} // namespace ringcast::log
