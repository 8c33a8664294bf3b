#include "dataplane/http/stream_handler.h"

#include "dataplane/http/accept_encoding.h"
#include "dataplane/http/conditional.h"
#include "dataplane/http/range.h"
#include "dataplane/http/status.h"

#include <algorithm>

namespace ringcast::http {
namespace {

// A head and a body: the send queue needs this many chunks free to take a response.
constexpr uint32_t kChunksPerResponse = 2;

// RFC 9110 §15.4.5: a 304 carries the fields a 200 would have that guide caches, and no
// representation metadata beyond them.
bool kept_in_304(std::string_view line) {
    for (std::string_view name : {"ETag:", "Last-Modified:", "Cache-Control:", "Vary:"})
        if (line.size() >= name.size() && line.substr(0, name.size()) == name) return true;
    return false;
}

std::string_view error_body(uint16_t status) {
    switch (status) {
    case 400:
        return "400 Bad Request\n";
    case 404:
        return "404 Not Found\n";
    case 405:
        return "405 Method Not Allowed\n";
    case 408:
        return "408 Request Timeout\n";
    case 413:
        return "413 Content Too Large\n";
    case 414:
        return "414 URI Too Long\n";
    case 416:
        return "416 Range Not Satisfiable\n";
    case 431:
        return "431 Request Header Fields Too Large\n";
    case 501:
        return "501 Not Implemented\n";
    case 505:
        return "505 HTTP Version Not Supported\n";
    default:
        return "500 Internal Server Error\n";
    }
}

} // namespace

// One response's head, as decided by respond().
struct HttpStreamHandler::Answer {
    uint16_t status = 200;
    std::string_view variant_headers; // precomputed lines, filtered for a 304
    bool not_modified = false;
    uint64_t content_length = 0; // of the body a GET gets (a HEAD gets the same field)
    bool range = false;
    uint64_t range_first = 0, range_last = 0, size = 0;
    bool keep_alive = true;
    bool http10 = false;
};

HttpStreamHandler::HttpStreamHandler(std::string_view pop_name, unsigned lcore,
                                     stats::LcoreCounters& counters)
    : pop_name_(pop_name), lcore_(lcore), counters_(counters) {}

content::SharedContent* HttpStreamHandler::content_for(tcp::Connection& c) {
    auto* pinned = reinterpret_cast<content::SharedContent*>(c.app_state);
    if (pinned == content_) return pinned;
    if (pinned != nullptr) {
        if (c.tx.length() != 0) return pinned; // still sending from it: stay until idle
        pinned->unpin(lcore_);
    }
    content_->pin(lcore_);
    c.app_state = reinterpret_cast<uint64_t>(content_);
    return content_;
}

void HttpStreamHandler::on_readable(tcp::Engine& engine, tcp::Connection& c) {
    while (c.rx_length != 0 && !c.fin_queued && content_ != nullptr) {
        // Room for the whole answer first: a request waits in the receive buffer until ACKs
        // free the send queue, and is resumed from there (Engine calls on_readable again).
        const uint32_t head_room = std::min<uint32_t>(kMaxResponseHead, engine.send_capacity());
        if (engine.writable(c) < head_room || engine.free_send_chunks(c) < kChunksPerResponse)
            return;
        Request request;
        const ParseResult parsed =
            parse_request({engine.received(c), c.rx_length}, request, engine.receive_capacity());
        if (parsed.kind == ParseResult::Kind::kIncomplete) {
            if (c.peer_fin) engine.close(c); // the rest of it can never come
            return;
        }
        if (parsed.kind == ParseResult::Kind::kError) {
            // The stream can no longer be framed: answer, drop what is left, close.
            send_error(engine, c, parsed.status, false);
            engine.consume(c, c.rx_length);
            engine.close(c);
            return;
        }
        const content::SharedContent* content = content_for(c);
        const bool keep_alive = respond(engine, c, request, content->view());
        engine.consume(c, parsed.consumed);
        if (!keep_alive) {
            engine.close(c);
            return;
        }
    }
    // Every request the peer sent before its FIN is answered: close our side too.
    if (c.peer_fin && c.rx_length == 0 && !c.fin_queued) engine.close(c);
}

bool HttpStreamHandler::respond(tcp::Engine& engine, tcp::Connection& c, const Request& request,
                                const content::View& content) {
    const bool keep_alive = request.keep_alive();
    const bool head_only = request.method == Method::kHead;
    if (request.method == Method::kOther) {
        send_error(engine, c, 405, keep_alive);
        return keep_alive;
    }
    const ResolvedTarget target = resolve_target(request.target, path_);
    if (target.status != 0) {
        send_error(engine, c, target.status, false, head_only);
        return false;
    }
    const std::optional<content::ObjectView> object =
        content.find(request_host(request, target), target.path);
    if (!object) {
        send_error(engine, c, 404, keep_alive, head_only);
        return keep_alive;
    }

    const EncodingChoice choice = choose_encoding(request.accept_encoding, object->all());
    const content::VariantView& variant = object->all()[choice.variant];
    const uint64_t size = variant.body.size();
    Answer answer;
    answer.keep_alive = keep_alive;
    answer.http10 = request.version_minor == 0;
    answer.variant_headers = variant.headers;
    answer.size = size;
    answer.content_length = size;

    if (evaluate_conditional(request, variant.etag, object->last_modified_unix, now_unix_) ==
        Conditional::kNotModified) {
        answer.status = 304;
        answer.not_modified = true;
        send_head(engine, c, answer);
        return keep_alive;
    }
    const RangeResult range = evaluate_range(request.range, size);
    if (range.kind == RangeResult::Kind::kUnsatisfiable) {
        answer.status = 416;
        answer.content_length = 0;
        send_head(engine, c, answer);
        return keep_alive;
    }
    uint64_t first = 0;
    if (range.kind == RangeResult::Kind::kSatisfiable) {
        answer.status = 206;
        answer.range = true;
        answer.range_first = first = range.first;
        answer.range_last = range.last;
        answer.content_length = range.last - range.first + 1;
    }
    send_head(engine, c, answer);
    if (!head_only && answer.content_length != 0) {
        const auto* body = reinterpret_cast<const uint8_t*>(variant.body.data()) + first;
        engine.write_external(c, body, static_cast<uint32_t>(answer.content_length));
        counters_.add(stats::Counter::http_body_bytes, answer.content_length);
    }
    return keep_alive;
}

void HttpStreamHandler::send_head(tcp::Engine& engine, tcp::Connection& c, const Answer& answer) {
    const StatusInfo status = status_info(answer.status);
    ResponseHead head(head_, sizeof(head_));
    head.status_line(status.code, status.reason);
    head.field("Date", date_.at(now_unix_));
    head.field(kPopHeader, pop_name_);
    if (answer.not_modified) {
        std::string_view lines = answer.variant_headers;
        while (!lines.empty()) {
            const size_t end = lines.find("\r\n");
            const std::string_view line =
                lines.substr(0, end == std::string_view::npos ? lines.size() : end + 2);
            if (kept_in_304(line)) head.raw(line);
            lines.remove_prefix(line.size());
        }
    } else if (answer.status == 416) {
        head.unsatisfied_range(answer.size);
        head.field("Content-Length", "0");
    } else {
        head.raw(answer.variant_headers);
        head.number_field("Content-Length", answer.content_length);
        if (answer.range) head.content_range(answer.range_first, answer.range_last, answer.size);
    }
    if (!answer.keep_alive)
        head.field("Connection", "close");
    else if (answer.http10)
        head.field("Connection", "keep-alive"); // RFC 9112 §9.3: 1.0 persists only when told
    head.end();
    if (!head.ok()) {
        send_error(engine, c, 500, false);
        return;
    }
    engine.write(c, reinterpret_cast<const uint8_t*>(head.bytes().data()),
                 static_cast<uint32_t>(head.bytes().size()));
    counters_.add(stats::Counter::http_requests);
    counters_.add(status.counter);
}

void HttpStreamHandler::send_error(tcp::Engine& engine, tcp::Connection& c, uint16_t code,
                                   bool keep_alive, bool head_only) {
    const StatusInfo status = status_info(code);
    const std::string_view body = error_body(status.code);
    ResponseHead head(head_, sizeof(head_));
    head.status_line(status.code, status.reason);
    head.field("Date", date_.at(now_unix_));
    head.field(kPopHeader, pop_name_);
    if (status.code == 405) head.field("Allow", "GET, HEAD"); // RFC 9110 §15.5.6
    head.field("Content-Type", "text/plain; charset=utf-8");
    head.number_field("Content-Length", body.size());
    if (!keep_alive) head.field("Connection", "close");
    head.end();
    if (!head_only) head.raw(body);
    engine.write(c, reinterpret_cast<const uint8_t*>(head.bytes().data()),
                 static_cast<uint32_t>(head.bytes().size()));
    counters_.add(stats::Counter::http_requests);
    counters_.add(status.counter);
}

void HttpStreamHandler::on_peer_closed(tcp::Engine& engine, tcp::Connection& c) {
    // Requests still waiting for send room are answered first; on_readable closes after them.
    if (c.rx_length == 0)
        engine.close(c);
    else
        on_readable(engine, c);
}

void HttpStreamHandler::on_idle(tcp::Engine& engine, tcp::Connection& c) {
    // RFC 9110 §15.5.9: a request begun but not finished within the idle time gets a 408.
    if (c.rx_length != 0 && !c.fin_queued && engine.writable(c) >= kMaxResponseHead)
        send_error(engine, c, 408, false);
}

void HttpStreamHandler::on_closed(tcp::Engine&, tcp::Connection& c) {
    if (auto* pinned = reinterpret_cast<content::SharedContent*>(c.app_state)) {
        pinned->unpin(lcore_);
        c.app_state = 0;
    }
}

} // namespace ringcast::http
