// Content negotiation by Accept-Encoding (RFC 9110 §12.5.3) among the precompressed variants a
// content object carries (content::Encoding: identity, gzip, br).
#pragma once

#include "dataplane/content/object.h"

#include <cstdint>
#include <span>
#include <string_view>

namespace ringcast::http {

// qvalues are read as thousandths (RFC 9110 §12.4.2: at most three decimals), 0..1000.
inline constexpr uint16_t kMaxQuality = 1000;
// Accept-Encoding elements looked at; a longer list is cut here (an attacker-driven loop).
inline constexpr uint32_t kMaxAcceptEncodingElements = 32;

struct EncodingChoice {
    uint8_t variant = 0; // index into ObjectView::all()
    content::Encoding encoding = content::Encoding::identity;
    // False when the field excludes every variant this object has (identity too, by
    // "identity;q=0" or "*;q=0"). `variant` is then identity, which §12.5.3 lets a server send
    // anyway; a responder that prefers to may answer 406 instead.
    bool acceptable = true;
};

// `accept_encoding` is Request::accept_encoding (empty when absent: identity, §12.5.3).
// The highest qvalue wins; on equal qvalues br is preferred over gzip, and both over identity,
// which only wins outright when the client ranks it higher. Identity that is not listed and not
// covered by "*" is acceptable (§12.5.3), but ranks below every listed coding.
EncodingChoice choose_encoding(std::string_view accept_encoding,
                               std::span<const content::VariantView> variants);

} // namespace ringcast::http
