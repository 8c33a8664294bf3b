// libFuzzer target: the HTTP request parser on arbitrary bytes, then every request-side helper
// on what it returned. Checks the parser's contract, not just that nothing crashes: every view
// lies inside the input, `consumed` never exceeds it, the error statuses are the documented ones,
// and a prefix of the input never decides differently from the whole.
#include "dataplane/http/accept_encoding.h"
#include "dataplane/http/conditional.h"
#include "dataplane/http/range.h"
#include "dataplane/http/request_parser.h"
#include "dataplane/http/request_target.h"

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

bool inside(std::string_view part, std::string_view whole) {
    return part.empty() || (part.data() >= whole.data() &&
                            part.data() + part.size() <= whole.data() + whole.size());
}

constexpr int64_t kNow = 1796601600; // Mon, 07 Dec 2026 00:00:00 GMT

// A resolved path is what the content lookup sees: it must be normalised, whatever was sent.
void check_target(std::string_view target) {
    static char buffer[ringcast::http::kMaxPathBytes];
    const ringcast::http::ResolvedTarget t = ringcast::http::resolve_target(target, buffer);
    if (t.status != 0) {
        require(t.status == 400 || t.status == 414);
        return;
    }
    const std::string_view p = t.path;
    require(inside(p, std::string_view(buffer, sizeof buffer)));
    require(!p.empty() && p.front() == '/');
    require(p.find("//") == std::string_view::npos);
    require(p.find("/./") == std::string_view::npos && p.find("/../") == std::string_view::npos);
    require(!p.ends_with("/.") && !p.ends_with("/..") && !p.ends_with("/"));
    for (char c : p)
        require(static_cast<uint8_t>(c) >= 0x20 && c != 0x7f);
    require(!t.directory_index || p.ends_with(ringcast::http::kIndexName));
    require(inside(t.authority, target));
}

// The field helpers on any text: their results stay within their contracts.
void check_fields(std::string_view text, uint64_t size) {
    const ringcast::http::RangeResult r = ringcast::http::evaluate_range(text, size);
    if (r.kind == ringcast::http::RangeResult::Kind::kSatisfiable)
        require(r.first <= r.last && r.last < size);

    using ringcast::content::Encoding;
    const ringcast::content::VariantView variants[] = {
        {Encoding::identity, {}, {}, {}}, {Encoding::gzip, {}, {}, {}}, {Encoding::br, {}, {}, {}}};
    for (size_t n = 1; n <= 3; ++n) {
        const ringcast::http::EncodingChoice c =
            ringcast::http::choose_encoding(text, std::span(variants, n));
        require(c.variant < n && variants[c.variant].encoding == c.encoding);
        require(c.acceptable || c.variant == 0);
    }

    (void)ringcast::http::if_none_match_matches(text, "\"abc\"");
    int64_t t = 0;
    if (ringcast::http::parse_http_date(text, kNow, t) && t >= 0 &&
        t <= ringcast::http::kLatestHttpDate) {
        // Whatever form it came in, its IMF-fixdate reads back as the same instant.
        char out[ringcast::http::kHttpDateLength];
        ringcast::http::format_http_date(t, out);
        int64_t back = -1;
        require(ringcast::http::parse_http_date(std::string_view(out, sizeof out), kNow, back));
        require(back == t);
    }
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

    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_fields(text, size);
    if (result.kind == ParseResult::Kind::kComplete) {
        check_target(request.target);
        const std::string_view host = ringcast::http::host_without_port(request.host);
        require(host.data() == request.host.data() && host.size() <= request.host.size());
        check_fields(request.range, size);
        check_fields(request.accept_encoding, size);
        check_fields(request.if_modified_since, size);
        (void)ringcast::http::evaluate_conditional(request, "W/\"abc\"", kNow - 1, kNow);
    }
    return 0;
}
