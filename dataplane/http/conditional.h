// Conditional GET and HEAD (RFC 9110 §13): If-None-Match against the object's entity tag,
// If-Modified-Since against its modification time, and the precedence between them (§13.2.2).
// If-Match, If-Unmodified-Since and If-Range are not evaluated.
#pragma once

#include "dataplane/http/http_date.h"
#include "dataplane/http/request_parser.h"

#include <cstdint>
#include <string_view>

namespace ringcast::http {

// If-None-Match = "*" / #entity-tag (§13.1.2). True when `field` is "*" (the object exists) or
// lists a tag equal to `etag` by the weak comparison (§8.8.3.2: opaque-tags equal, W/ ignored on
// either side). Tags after a syntax error are not looked at: a field that does not parse matches
// nothing past that point, and the full response is always a safe answer.
bool if_none_match_matches(std::string_view field, std::string_view etag);

enum class Conditional : uint8_t { kProceed, kNotModified };

// For a GET or HEAD of an object with entity tag `etag` and modification time
// `last_modified_unix`, at `now_unix`. §13.2.2: If-None-Match, when present, decides alone
// (match → 304); only without it is If-Modified-Since evaluated (§13.1.3: 304 when the object
// was last modified at or before that date). An If-Modified-Since that is not a valid HTTP-date,
// or lies in the future (the server's clock says no client can have seen it), is ignored.
Conditional evaluate_conditional(const Request& request, std::string_view etag,
                                 int64_t last_modified_unix, int64_t now_unix);

} // namespace ringcast::http
