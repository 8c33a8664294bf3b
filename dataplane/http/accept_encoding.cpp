#include "dataplane/http/accept_encoding.h"

#include "dataplane/http/chars.h"

namespace ringcast::http {
namespace {

constexpr int kUnset = -1;
// The tie-break below ranks codings by their enum value.
static_assert(static_cast<int>(content::Encoding::identity) <
                  static_cast<int>(content::Encoding::gzip) &&
              static_cast<int>(content::Encoding::gzip) < static_cast<int>(content::Encoding::br));
// Unlisted identity: acceptable, yet ranked below any listed coding with a qvalue > 0.
constexpr int kImplicitIdentity = 0;

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )   (RFC 9110 §12.4.2)
bool parse_qvalue(std::string_view s, int& out) {
    if (s.empty() || (s[0] != '0' && s[0] != '1')) return false;
    int value = (s[0] - '0') * kMaxQuality;
    if (s.size() > 1) {
        if (s[1] != '.' || s.size() > 5) return false;
        int scale = 100;
        for (size_t i = 2; i < s.size(); ++i, scale /= 10) {
            if (!chars::is_digit(static_cast<uint8_t>(s[i]))) return false;
            value += (s[i] - '0') * scale;
        }
    }
    if (value > kMaxQuality) return false;
    out = value;
    return true;
}

// codings [ weight ], weight = OWS ";" OWS "q=" qvalue. Parameters other than q are not in the
// grammar; they are skipped rather than failing the element. False for a malformed weight.
bool parse_element(std::string_view element, std::string_view& coding, int& q) {
    const size_t semi = element.find(';');
    coding = chars::trim_ows(element.substr(0, semi));
    q = kMaxQuality;
    std::string_view params =
        semi == std::string_view::npos ? std::string_view{} : element.substr(semi + 1);
    while (!params.empty()) {
        const size_t next = params.find(';');
        const std::string_view param = chars::trim_ows(params.substr(0, next));
        params = next == std::string_view::npos ? std::string_view{} : params.substr(next + 1);
        if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=' &&
            !parse_qvalue(param.substr(2), q))
            return false;
    }
    return !coding.empty();
}

// Repeated codings ("gzip, gzip;q=0") take the lowest qvalue: the cautious reading.
void record(int& slot, int q) {
    slot = slot == kUnset || q < slot ? q : slot;
}

} // namespace

EncodingChoice choose_encoding(std::string_view accept_encoding,
                               std::span<const content::VariantView> variants) {
    int q_identity = kUnset, q_gzip = kUnset, q_br = kUnset, q_star = kUnset;
    std::string_view list = accept_encoding, element;
    for (uint32_t n = 0; n < kMaxAcceptEncodingElements && chars::next_list_element(list, element);
         ++n) {
        std::string_view coding;
        int q = 0;
        if (!parse_element(element, coding, q)) continue; // an invalid element is ignored
        // Content codings are case-insensitive (§8.4.1); "x-gzip" is gzip (§8.4.1.3).
        if (chars::iequals(coding, "identity"))
            record(q_identity, q);
        else if (chars::iequals(coding, "gzip") || chars::iequals(coding, "x-gzip"))
            record(q_gzip, q);
        else if (chars::iequals(coding, "br"))
            record(q_br, q);
        else if (coding == "*")
            record(q_star, q);
    }
    // "*" matches every available coding not listed (§12.5.3). Without it an unlisted coding
    // is not acceptable, except identity, which is then acceptable with the lowest rank.
    struct Rank {
        bool acceptable;
        int q;
        int preference; // on equal q: br > gzip > identity
    };
    auto rank = [&](content::Encoding e) -> Rank {
        const int listed = e == content::Encoding::identity ? q_identity
                           : e == content::Encoding::gzip   ? q_gzip
                                                            : q_br;
        const int preference = static_cast<int>(e); // identity 0, gzip 1, br 2 (object.h)
        const int q = listed != kUnset ? listed : q_star;
        if (q != kUnset) return {q > 0, q, preference};
        return {e == content::Encoding::identity, kImplicitIdentity, preference};
    };

    EncodingChoice best{0, content::Encoding::identity, false};
    Rank best_rank{false, 0, 0};
    for (size_t i = 0; i < variants.size(); ++i) {
        const Rank r = rank(variants[i].encoding);
        if (!r.acceptable) continue;
        if (best.acceptable &&
            (r.q < best_rank.q || (r.q == best_rank.q && r.preference <= best_rank.preference)))
            continue;
        best = {static_cast<uint8_t>(i), variants[i].encoding, true};
        best_rank = r;
    }
    return best; // nothing acceptable: identity (variants[0]), flagged
}

} // namespace ringcast::http
