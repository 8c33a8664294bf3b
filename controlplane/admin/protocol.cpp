#include "controlplane/admin/protocol.h"

#include <cctype>
#include <fmt/format.h>

namespace ringcast::admin {
namespace {

using nlohmann::json;

// A command name is a short word of letters, digits, '-' and '_'; anything else is garbage and
// is refused without being echoed back.
constexpr size_t kMaxCommandName = 64;

bool is_command_name(std::string_view word) {
    if (word.empty() || word.size() > kMaxCommandName) return false;
    for (unsigned char c : word)
        if (!std::isalnum(c) && c != '-' && c != '_') return false;
    return true;
}

std::optional<Request> parse_bare_words(std::string_view line, json& error) {
    Request request;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        size_t end = i;
        while (end < line.size() && line[end] != ' ' && line[end] != '\t')
            ++end;
        if (end > i) {
            std::string word(line.substr(i, end - i));
            if (request.cmd.empty())
                request.cmd = std::move(word);
            else
                request.positional.push_back(std::move(word));
        }
        i = end;
    }
    if (!is_command_name(request.cmd)) {
        error =
            error_reply(code::kBadRequest, "not a request: send a JSON object or a command name");
        return std::nullopt;
    }
    return request;
}

} // namespace

std::optional<Request> parse_request(std::string_view line, json& error) {
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        error = error_reply(code::kBadRequest, "empty request");
        return std::nullopt;
    }
    if (line[first] != '{') return parse_bare_words(line, error);

    json object;
    if (!parse_line(line, object)) {
        error = error_reply(code::kBadRequest, "malformed JSON request");
        return std::nullopt;
    }
    if (object.contains("version")) {
        const json& version = object["version"];
        if (!version.is_number_integer() || version.get<int64_t>() != kProtocolVersion) {
            error = error_reply(
                code::kUnsupportedVersion,
                fmt::format("unsupported protocol version {} (this daemon speaks "
                            "version {})",
                            version.dump(-1, ' ', false, json::error_handler_t::replace),
                            kProtocolVersion));
            return std::nullopt;
        }
    }
    const auto cmd = object.find("cmd");
    if (cmd == object.end() || !cmd->is_string() || !is_command_name(cmd->get<std::string>())) {
        error = error_reply(code::kBadRequest, "request without a \"cmd\" string");
        return std::nullopt;
    }
    Request request;
    request.cmd = cmd->get<std::string>();
    object.erase("cmd");
    object.erase("version");
    request.args = std::move(object);
    return request;
}

json ok_reply() {
    return json{{"version", kProtocolVersion}, {"ok", true}};
}

json error_reply(std::string_view code, std::string_view message) {
    return json{{"version", kProtocolVersion},
                {"ok", false},
                {"code", std::string(code)},
                {"error", std::string(message)}};
}

json progress_line(std::string_view message) {
    return json{{"version", kProtocolVersion}, {"progress", std::string(message)}};
}

std::string to_line(const json& reply) {
    std::string line = reply.dump(-1, ' ', false, json::error_handler_t::replace);
    line.push_back('\n');
    return line;
}

bool parse_line(std::string_view line, json& out) {
    out = json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
    return out.is_object();
}

} // namespace ringcast::admin
