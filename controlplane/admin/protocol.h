// The admin protocol spoken on ringcastd's Unix socket, shared by the daemon and ringcastctl.
//
// One request per line, one JSON reply per line. A request is a JSON object
//     {"version":1,"cmd":"reload-zone","origin":"example.net."}
// or, for a human with socat, bare words: `reload-zone example.net.` (positional arguments in
// the order the command declares them). A reply always carries the protocol version and "ok":
//     {"version":1,"ok":true, ...command fields...}
//     {"version":1,"ok":false,"code":"rejected","error":"one line","errors":["file:line: ..."]}
// Before the final reply a long command may send interim lines {"version":1,"progress":"..."}.
// A request with another version gets code "unsupported_version" and changes nothing. Progress
// lines are sent only to a request that asks for them with "progress":true.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace ringcast::admin {

inline constexpr int kProtocolVersion = 1;

// A request line longer than this is refused (error reply, then the connection is closed): the
// longest real request is a command and a zone origin, so 64 KiB is generous and bounds memory.
inline constexpr size_t kMaxRequestLine = 64 * 1024;

// Error codes of a failed reply: stable strings a script may test, errno-style.
namespace code {
inline constexpr const char* kBadRequest = "bad_request";         // malformed line or arguments
inline constexpr const char* kUnknownCommand = "unknown_command"; // no such command
inline constexpr const char* kUnsupportedVersion = "unsupported_version";
inline constexpr const char* kBusy = "busy";               // e.g. a reload is already running
inline constexpr const char* kRejected = "rejected";       // e.g. the zone does not compile
inline constexpr const char* kNotFound = "not_found";      // e.g. reload-zone of an unknown zone
inline constexpr const char* kUnavailable = "unavailable"; // the dataplane is not answering
inline constexpr const char* kTooLong = "too_long";        // request line over kMaxRequestLine
inline constexpr const char* kOverloaded = "overloaded";   // too many clients
} // namespace code

struct Request {
    std::string cmd;
    nlohmann::json args = nlohmann::json::object(); // named arguments (bare words: positional)
    std::vector<std::string> positional;            // bare-word arguments, in order
};

// Parses one request line (without its newline). On failure returns nullopt and fills `error`
// with the reply to send (code bad_request or unsupported_version).
std::optional<Request> parse_request(std::string_view line, nlohmann::json& error);

nlohmann::json ok_reply();
nlohmann::json error_reply(std::string_view code, std::string_view message);
nlohmann::json progress_line(std::string_view message);

// Serialises a reply as one line with its newline. Never throws: bytes that are not UTF-8
// (an echoed garbage command, a file name) are replaced rather than aborting the reply.
std::string to_line(const nlohmann::json& reply);

// Parses one line from the peer into `out`; false if it is not a JSON object.
bool parse_line(std::string_view line, nlohmann::json& out);

} // namespace ringcast::admin
