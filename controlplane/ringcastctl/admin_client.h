// ringcastctl's side of the admin socket: connect, send one request line, read progress lines
// and the final reply.
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace ringcast::ctl {

struct AdminResult {
    bool reached = false; // a final reply arrived; otherwise `error` says what went wrong
    nlohmann::json reply;
    std::string error;
};

// Sends `request` (a JSON object; the protocol version is added) and waits up to `timeout` for
// the final reply. Interim {"progress":...} lines go to `on_progress`.
AdminResult admin_call(const std::string& socket_path, nlohmann::json request,
                       std::chrono::milliseconds timeout,
                       const std::function<void(const std::string&)>& on_progress);

} // namespace ringcast::ctl
