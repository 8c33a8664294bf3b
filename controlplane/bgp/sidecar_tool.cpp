// ringcast-bgp: the sidecar drivers from the command line, and ringcastd's dead-man watchdog.
//   ringcast-bgp apply CONFIG announce|drain|withdraw   one batch for every [bgp] prefix
//   ringcast-bgp session CONFIG                         the session's state
//   ringcast-bgp watchdog CONFIG                        waits for EOF on stdin, then withdraws
// ringcastd starts the watchdog with stdin on a socket it holds: when ringcastd dies, even by
// SIGKILL, the kernel closes that socket, the watchdog reads EOF and withdraws every prefix, so a
// dead PoP stops being announced within the sidecar's timeout.
#include "controlplane/bgp/sidecar.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fmt/format.h>
#include <string>
#include <unistd.h>

using namespace ringcast;

namespace {

constexpr int kWithdrawAttempts = 5; // a sidecar restarting at that moment gets a few chances
constexpr auto kRetryDelay = std::chrono::seconds(1);

int usage() {
    fmt::print(stderr, "usage: ringcast-bgp apply CONFIG announce|drain|withdraw\n"
                       "       ringcast-bgp session CONFIG\n"
                       "       ringcast-bgp watchdog CONFIG\n");
    return 2;
}

std::vector<bgp::Announcement> batch_for(const config::BgpConfig& bgp, const std::string& what) {
    std::vector<bgp::Announcement> batch;
    if (what == "withdraw") return batch;
    for (const config::BgpPrefix& p : bgp.prefixes)
        batch.push_back(bgp::announcement_for(p, what == "drain"));
    return batch;
}

int watchdog(bgp::Sidecar& sidecar) {
    // SIGTERM/SIGINT from an operator must not withdraw behind ringcastd's back: only EOF does.
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    char byte;
    for (;;) {
        const ssize_t n = read(0, &byte, 1);
        if (n > 0) continue; // ringcastd writes nothing; tolerate it
        if (n < 0 && errno == EINTR) continue;
        break;
    }
    for (int attempt = 1; attempt <= kWithdrawAttempts; ++attempt) {
        const bgp::ApplyResult r = sidecar.apply({});
        if (r.ok) {
            fmt::print(stderr,
                       "ringcast-bgp watchdog: ringcastd is gone; withdrew every prefix "
                       "({})\n",
                       r.detail);
            return 0;
        }
        fmt::print(stderr, "ringcast-bgp watchdog: withdraw failed (attempt {}): {}\n", attempt,
                   r.error);
        sleep(static_cast<unsigned>(kRetryDelay.count()));
    }
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) return usage();
    const std::string command = argv[1];
    config::Config config;
    std::vector<std::string> errors;
    if (!config::load_config(argv[2], config, errors)) {
        for (const std::string& e : errors)
            fmt::print(stderr, "{}\n", e);
        return 1;
    }
    if (!config.bgp.enabled) {
        fmt::print(stderr, "{}: no [bgp] section\n", argv[2]);
        return 1;
    }
    auto sidecar = bgp::make_sidecar(config.bgp);
    if (command == "watchdog" && argc == 3) return watchdog(*sidecar);
    if (command == "session" && argc == 3) {
        const bgp::SessionInfo s = sidecar->session_state();
        fmt::print("{} {}\n", bgp::session_state_name(s.state), s.info);
        return s.state == bgp::SessionState::established ? 0 : 1;
    }
    if (command == "apply" && argc == 4) {
        const std::string what = argv[3];
        if (what != "announce" && what != "drain" && what != "withdraw") return usage();
        const bgp::ApplyResult r = sidecar->apply(batch_for(config.bgp, what));
        if (!r.ok) {
            fmt::print(stderr, "{}: {}\n", sidecar->name(), r.error);
            return 1;
        }
        fmt::print("{}: {}\n", sidecar->name(), r.detail);
        return 0;
    }
    return usage();
}
