// ExaBGP 4 as the sidecar, through its text API on the CLI named pipes (exabgp.api.pipename;
// the pipes are <name>.in and <name>.out). Each command ("announce route ...", "withdraw route
// ...") is acknowledged on the out pipe with a line "done" or "error" (the CLI channel always
// acknowledges; exabgp.api.ack = true does the same for processes). A batch is the commands for
// the prefixes that changed; it fails at the first "error".
#pragma once

#include "controlplane/bgp/sidecar.h"

#include <map>
#include <optional>

namespace ringcast::bgp {

inline constexpr size_t kMaxExabgpReply = 1 << 20;

// "announce route 203.0.113.0/24 next-hop self community [64500:100] ... as-path [...]".
std::string exabgp_announce(const Announcement& a, uint32_t local_as);
std::string exabgp_withdraw(const std::string& prefix);
// A row of "show neighbor summary" for `peer` -> its state.
SessionInfo parse_exabgp_summary(const std::string& output, const std::string& peer);

class ExabgpDriver : public Sidecar {
  public:
    explicit ExabgpDriver(const config::BgpConfig& config);
    ApplyResult apply(const std::vector<Announcement>& batch) override;
    SessionInfo session_state() override;
    void resync() override { announced_.reset(); }
    std::string name() const override { return "exabgp"; }

    // One command and its acknowledgement; `output` gets the lines before done/error.
    bool command(const std::string& line, std::string& output, std::string& error);

  private:
    std::string pipe_in_;
    std::string pipe_out_;
    std::string peer_;
    uint32_t local_as_;
    std::vector<std::string> configured_;
    // What ExaBGP was last told, by prefix; empty optional: unknown (a fresh start).
    std::optional<std::map<std::string, Announcement>> announced_;
};

} // namespace ringcast::bgp
