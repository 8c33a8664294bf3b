// GoBGP as the sidecar, through its CLI against gobgpd's gRPC API: `gobgp global rib add` /
// `del` per prefix that changed, checking the exit status and that the output is empty (gobgp
// prints its errors and exits non-zero; output on success is unexpected and reported).
#pragma once

#include "controlplane/bgp/sidecar.h"

#include <map>
#include <optional>

namespace ringcast::bgp {

// gobgp's arguments after "global rib": "-a ipv4 add 203.0.113.0/24 community ...".
std::vector<std::string> gobgp_add_args(const Announcement& a);
std::vector<std::string> gobgp_del_args(const std::string& prefix);
// `gobgp neighbor` output -> the state of `peer`.
SessionInfo parse_gobgp_neighbors(const std::string& output, const std::string& peer);

class GobgpDriver : public Sidecar {
  public:
    explicit GobgpDriver(const config::BgpConfig& config);
    ApplyResult apply(const std::vector<Announcement>& batch) override;
    SessionInfo session_state() override;
    void resync() override { announced_.reset(); }
    std::string name() const override { return "gobgp"; }

  private:
    std::vector<std::string> base_argv() const;
    std::string binary_;
    std::string host_;
    std::string port_;
    std::string peer_;
    uint32_t local_as_;
    std::vector<std::string> configured_;
    std::optional<std::map<std::string, Announcement>> announced_;
};

} // namespace ringcast::bgp
