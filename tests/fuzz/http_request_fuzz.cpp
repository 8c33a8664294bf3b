// libFuzzer target: the HTTP request parser on arbitrary bytes, then every request-side helper
// on what it returned. Checks the parser's contract, not just that nothing crashes: every view
// lies inside the input, `consumed` never exceeds it, the error statuses are the documented ones,
// and a prefix of the input never decides differently from the whole.
#include "dataplane/http/request_parser.h"

#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

namespace {

using ringcast::http::ParseResult;
using ringcast::http::Request;

void require(bool condition) {
    if (!condition) std::abort();
}

bool inside(std::string_view part, std::span<const uint8_t> input) {
    const auto* begin = reinterpret_cast<const char*>(input.data());
    return part.empty() ||
           (part.data() >= begin && part.data() + part.size() <= begin + input.size());
}

bool same(const ParseResult& a, const ParseResult& b) {
    return a.kind == b.kind && a.consumed == b.consumed && a.status == b.status;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const uint8_t> input(data, size);
    Request request;
    const ParseResult result = ringcast::http::parse_request(input, request);

    if (result.kind == ParseResult::Kind::kError) {
        const uint16_t s = result.status;
        require(s == 400 || s == 413 || s == 414 || s == 431 || s == 501 || s == 505);
    }
    if (result.kind == ParseResult::Kind::kComplete) {
        require(result.consumed > 0 && result.consumed <= size);
        require(result.consumed - request.content_length <= ringcast::http::kMaxHeaderBytes);
        require(request.content_length <= ringcast::http::kMaxRequestBody);
        for (std::string_view v :
             {request.method_token, request.target, request.host, request.if_none_match,
              request.if_modified_since, request.range, request.accept_encoding})
            require(inside(v, input));
        require(!request.method_token.empty() && !request.target.empty());
        require(request.version_minor <= 1);
    }

    // The answer is decided by the bytes it has seen: one byte less is either still incomplete
    // or the same answer (an error found earlier); a complete request needs all its bytes.
    if (size > 0 && result.kind != ParseResult::Kind::kIncomplete) {
        const size_t decided_at =
            result.kind == ParseResult::Kind::kComplete ? result.consumed : size;
        Request shorter;
        const ParseResult less =
            ringcast::http::parse_request(input.first(decided_at - 1), shorter);
        require(less.kind == ParseResult::Kind::kIncomplete || same(less, result));
        if (result.kind == ParseResult::Kind::kComplete) {
            // Bytes after the request (a pipelined one) change nothing about it.
            Request exact;
            require(
                same(ringcast::http::parse_request(input.first(result.consumed), exact), result));
            require(exact.target == request.target && exact.host == request.host);
        }
    }

    // With a receive buffer exactly this full, an incomplete request becomes an error.
    Request full;
    const ParseResult capped =
        ringcast::http::parse_request(input, full, static_cast<uint32_t>(size));
    require(capped.kind != ParseResult::Kind::kIncomplete);
    if (result.kind != ParseResult::Kind::kIncomplete) require(same(capped, result));
    return 0;
}
