// The BGP sidecar seam: ringcast never speaks BGP itself. A Sidecar takes the whole desired set
// of announcements (one batch) and makes the BGP daemon announce exactly that; it also reports
// the state of the session to the upstream. One driver a file: bird_driver (BIRD 2's control
// socket and a generated include file), exabgp_driver (ExaBGP 4's text API on its named pipes),
// gobgp_driver (the gobgp CLI against gobgpd). Calls block for at most kSidecarTimeout: they
// run on ringcastd's event loop, and a sidecar slower than that is reported as failed.
#pragma once

#include "controlplane/config/config.h"

#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ringcast::bgp {

inline constexpr auto kSidecarTimeout = std::chrono::seconds(5);
// RFC 8326 §5: GRACEFUL_SHUTDOWN well-known community, 65535:0.
inline constexpr const char* kGracefulShutdown = "65535:0";

// One prefix as the sidecar must announce it. A prefix absent from the batch is withdrawn.
struct Announcement {
    std::string prefix; // canonical, "203.0.113.0/24"
    std::vector<std::string> communities;
    std::vector<std::string> large_communities;
    unsigned prepend = 0; // copies of local_as in front of the path

    bool operator==(const Announcement&) const = default;
};

struct ApplyResult {
    bool ok = false;
    std::string error;  // why not, for the log and status
    std::string detail; // the sidecar's own words (BIRD's reply, ExaBGP's ack...)
};

enum class SessionState { established, connecting, idle, down, unknown };
const char* session_state_name(SessionState state);

struct SessionInfo {
    SessionState state = SessionState::unknown;
    std::string info; // the daemon's own description ("Established", "Active", an error)
    // How long the session has been in its state, where the daemon says (ExaBGP's and GoBGP's
    // up/down column); -1 if unknown. A restart between two polls shows as a younger session.
    int64_t uptime_seconds = -1;
};

// "0:00:12", "00:00:12", "12:34:56" → seconds; -1 for anything else.
int64_t parse_uptime(const std::string& text);

// A word of a neighbor table's state column and what it means; `label` is the state's name in
// SessionInfo::info when the daemon's word is an abbreviation (GoBGP's "Establ"), else empty.
struct StateWord {
    std::string_view word;
    SessionState state;
    std::string_view label = {};
};

// The session of `peer` in a neighbor table as ExaBGP's `show neighbor summary` and
// `gobgp neighbor` print it: a row per peer, its address first, an up/down time before the state
// word. A row with no known state word is `unknown` with the row as its info; no row names
// `daemon` ("gobgpd has no neighbor ...").
SessionInfo parse_neighbor_row(const std::string& table, const std::string& peer,
                               std::span<const StateWord> words, std::string_view daemon);

// `text` without leading and trailing white space.
std::string trimmed(const std::string& text);

class Sidecar {
  public:
    virtual ~Sidecar() = default;
    // Makes the announced set exactly `batch`: one reconfiguration for the whole batch.
    virtual ApplyResult apply(const std::vector<Announcement>& batch) = 0;
    virtual SessionInfo session_state() = 0;
    virtual std::string name() const = 0;
    // Forget what the daemon was told: the next apply states the whole batch again. Called when
    // the session comes (back) up, since a restarted ExaBGP or gobgpd starts with an empty RIB.
    virtual void resync() {}
};

// The driver [bgp] sidecar names. Throws std::invalid_argument for an unknown name (config
// validation rejects those first).
std::unique_ptr<Sidecar> make_sidecar(const config::BgpConfig& config);

// What a prefix looks like announced normally or while draining (RFC 8326: 65535:0 added,
// drain_prepend more prepends).
Announcement announcement_for(const config::BgpPrefix& prefix, bool draining);

} // namespace ringcast::bgp
