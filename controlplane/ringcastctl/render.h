// Human output of the admin commands, from the daemon's JSON replies (--json prints the reply
// itself). The counters go through admin/counter_view.h like every other rendering of them.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

namespace ringcast::ctl {

void render_status(const nlohmann::json& reply, std::ostream& out);
void render_stats(const nlohmann::json& reply, std::ostream& out);
void render_zones(const nlohmann::json& reply, std::ostream& out);
void render_reload(const nlohmann::json& reply, std::ostream& out);
void render_stop(const nlohmann::json& reply, std::ostream& out);
// drain / undrain: the BGP lines of status.
void render_drain(const nlohmann::json& reply, std::ostream& out);
// The "bgp" object of status: announce state, drain flag, session, guard, each prefix.
void render_bgp(const nlohmann::json& bgp, std::ostream& out);

// A failed reply: "error: ..." then each of "errors" on its own line (file:line: message).
void render_error(const nlohmann::json& reply, std::ostream& err);

// "3d 4h", "2h 5m", "1m 7s", "12s"
std::string format_duration(int64_t seconds);

} // namespace ringcast::ctl
