// admin_request_fuzz: the admin socket's request parser (controlplane/admin/protocol.h) on one
// line from a client. It returns a request or an error reply, never throws, and whatever it
// returns serialises as one line (to_line) that parses back as a JSON object.
#include "controlplane/admin/protocol.h"
#include "tests/fuzz/fuzz_support.h"

#include <string_view>

namespace rc = ringcast;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > rc::admin::kMaxRequestLine) return 0; // the socket refuses longer lines first
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    nlohmann::json error;
    const std::optional<rc::admin::Request> request = rc::admin::parse_request(line, error);
    nlohmann::json reply;
    if (request) {
        FUZZ_CHECK(!request->cmd.empty());
        FUZZ_CHECK(request->args.is_object());
        // A reply that echoes the command, as the server does for an unknown one.
        reply = rc::admin::error_reply(rc::admin::code::kUnknownCommand, request->cmd);
        for (const auto& word : request->positional)
            reply["positional"].push_back(word);
        reply["args"] = request->args;
    } else {
        FUZZ_CHECK(error.is_object());
        reply = error;
    }
    const std::string out = rc::admin::to_line(reply);
    FUZZ_CHECK(!out.empty() && out.back() == '\n');
    FUZZ_CHECK(out.find('\n') == out.size() - 1);
    nlohmann::json back;
    FUZZ_CHECK(rc::admin::parse_line(std::string_view(out).substr(0, out.size() - 1), back));
    return 0;
}
