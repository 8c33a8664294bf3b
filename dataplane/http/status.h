// The status codes the responder sends (RFC 9110 §15), their reason phrases, and the counter
// each is counted in.
#pragma once

#include "dataplane/stats/counters.h"

#include <cstdint>
#include <string_view>

namespace ringcast::http {

struct StatusInfo {
    uint16_t code;
    std::string_view reason;
    stats::Counter counter;
};

// A code the responder does not know is sent as 500 (a bug, but a well-formed answer).
inline constexpr StatusInfo status_info(uint16_t code) {
    using stats::Counter;
    switch (code) {
    case 200:
        return {200, "OK", Counter::http_status_200};
    case 206:
        return {206, "Partial Content", Counter::http_status_206};
    case 304:
        return {304, "Not Modified", Counter::http_status_304};
    case 400:
        return {400, "Bad Request", Counter::http_status_400};
    case 404:
        return {404, "Not Found", Counter::http_status_404};
    case 405:
        return {405, "Method Not Allowed", Counter::http_status_405};
    case 408:
        return {408, "Request Timeout", Counter::http_status_408};
    case 413:
        return {413, "Content Too Large", Counter::http_status_413};
    case 414:
        return {414, "URI Too Long", Counter::http_status_414};
    case 416:
        return {416, "Range Not Satisfiable", Counter::http_status_416};
    case 431:
        return {431, "Request Header Fields Too Large", Counter::http_status_431};
    case 501:
        return {501, "Not Implemented", Counter::http_status_501};
    case 505:
        return {505, "HTTP Version Not Supported", Counter::http_status_505};
    default:
        return {500, "Internal Server Error", Counter::http_status_500};
    }
}

} // namespace ringcast::http
