#include "dataplane/http/conditional.h"

#include "dataplane/http/chars.h"

namespace ringcast::http {
namespace {

// etagc = %x21 / %x23-7E / obs-text (§8.8.3)
constexpr bool is_etagc(uint8_t c) {
    return c == 0x21 || (c >= 0x23 && c <= 0x7e) || c >= 0x80;
}

// The opaque-tag of an entity-tag, quotes included, without any W/ prefix.
std::string_view opaque_tag(std::string_view tag) {
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    return tag;
}

} // namespace

bool if_none_match_matches(std::string_view field, std::string_view etag) {
    field = chars::trim_ows(field);
    if (field == "*") return true;
    const std::string_view want = opaque_tag(etag);
    size_t i = 0;
    while (i < field.size()) {
        // Separators: OWS and commas (empty list elements are allowed, §5.6.1).
        const auto c = static_cast<uint8_t>(field[i]);
        if (chars::is_ows(c) || c == ',') {
            ++i;
            continue;
        }
        // entity-tag = [ weak ] opaque-tag; weak = %s"W/"; opaque-tag = DQUOTE *etagc DQUOTE
        if (field.substr(i, 2) == "W/") i += 2;
        if (i >= field.size() || field[i] != '"') return false;
        const size_t quote = i++;
        while (i < field.size() && field[i] != '"') {
            if (!is_etagc(static_cast<uint8_t>(field[i]))) return false;
            ++i;
        }
        if (i >= field.size()) return false; // unterminated
        ++i;
        if (field.substr(quote, i - quote) == want) return true;
        // Whatever follows a tag must be a separator or the end.
        if (i < field.size() && field[i] != ',' && !chars::is_ows(static_cast<uint8_t>(field[i])))
            return false;
    }
    return false;
}

Conditional evaluate_conditional(const Request& request, std::string_view etag,
                                 int64_t last_modified_unix, int64_t now_unix) {
    // §13.2.2 step 3: If-None-Match is evaluated when present; for GET and HEAD a match
    // means 304 (§13.1.2).
    if (!request.if_none_match.empty())
        return if_none_match_matches(request.if_none_match, etag) ? Conditional::kNotModified
                                                                  : Conditional::kProceed;
    // Step 4: If-Modified-Since, only without If-None-Match.
    if (request.if_modified_since.empty()) return Conditional::kProceed;
    int64_t since = 0;
    if (!parse_http_date(request.if_modified_since, now_unix, since) || since > now_unix)
        return Conditional::kProceed;
    return last_modified_unix <= since ? Conditional::kNotModified : Conditional::kProceed;
}

} // namespace ringcast::http
