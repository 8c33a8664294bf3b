// BIRD 2 as the sidecar. The announcements are a generated include file: two static protocols
// (kBirdStatic4, kBirdStatic6) whose routes carry the communities, large communities and
// prepends as route attributes. The operator's bird.conf includes it and exports those
// protocols to the upstream, e.g.
//     include "/etc/bird/ringcast.conf";
//     protocol bgp upstream { ... ipv4 { export where proto = "ringcast4"; }; ... }
// apply() writes the file atomically and sends ONE `configure` per batch, checking BIRD's reply
// code (a failed configure leaves BIRD on its old config; the previous file is put back).
// session_state() reads `show protocols <protocol>`.
#pragma once

#include "controlplane/bgp/bird_protocol.h"
#include "controlplane/bgp/sidecar.h"

namespace ringcast::bgp {

inline constexpr const char* kBirdStatic4 = "ringcast4";
inline constexpr const char* kBirdStatic6 = "ringcast6";

// The include file for `batch` (prepends use local_as). Deterministic: same batch, same text.
std::string bird_include(const std::vector<Announcement>& batch, uint32_t local_as);

// One row of `show protocols NAME` (code 1002) -> the session's state.
SessionInfo parse_bird_protocol_row(const BirdReply& reply, const std::string& protocol);

class BirdDriver : public Sidecar {
  public:
    explicit BirdDriver(const config::BgpConfig& config);
    ApplyResult apply(const std::vector<Announcement>& batch) override;
    SessionInfo session_state() override;
    std::string name() const override { return "bird"; }

  private:
    std::string socket_;
    std::string include_file_;
    std::string protocol_;
    uint32_t local_as_;
};

} // namespace ringcast::bgp
