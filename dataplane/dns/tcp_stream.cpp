#include "dataplane/dns/tcp_stream.h"

#include <cstring>

namespace ringcast::dns {
namespace {

constexpr uint32_t kLengthPrefix = 2;
constexpr uint32_t kScratchSize = kLengthPrefix + kMaxTcpMessage;
// Room the send buffer must have before a query is answered: more than any answer from a
// snapshot needs in practice, so answers are not truncated by a buffer that ACKs will drain.
// A send buffer smaller than this answers once it is empty, truncating (TC) what does not fit.
constexpr uint32_t kAnswerRoom = 16384;

} // namespace

TcpStreamHandler::TcpStreamHandler(const ResponderConfig& config, stats::LcoreCounters& counters)
    : config_(config), counters_(counters), scratch_(new uint8_t[kScratchSize]) {}

void TcpStreamHandler::on_readable(tcp::Engine& engine, tcp::Connection& c) {
    for (;;) {
        if (c.rx_length < kLengthPrefix) return;
        const uint8_t* data = engine.received(c);
        const uint32_t length = uint32_t{data[0]} << 8 | data[1];
        if (length == 0 || kLengthPrefix + length > engine.receive_capacity()) {
            // A message that can never fit the receive buffer (or an empty one): nothing on
            // this stream can be answered any more.
            counters_.count_drop(stats::DropReason::dns_tcp_message_too_long);
            engine.consume(c, c.rx_length);
            engine.close(c);
            return;
        }
        if (c.rx_length < kLengthPrefix + length) return; // the rest is on its way
        if (snapshot_ == nullptr) return;
        const uint32_t room = engine.writable(c);
        if (room < std::min(kAnswerRoom, engine.send_capacity())) return; // resumes on ACKs
        if (room <= kLengthPrefix) return;

        std::memcpy(scratch_.get() + kLengthPrefix, data + kLengthPrefix, length);
        const Transport transport = c.flow.ipv6 ? Transport::kTcp6 : Transport::kTcp4;
        const uint32_t capacity = std::min(kMaxTcpMessage, room - kLengthPrefix);
        const Reply reply = answer_udp(config_, *snapshot_, counters_, transport,
                                       scratch_.get() + kLengthPrefix, length, capacity);
        if (reply.send) {
            scratch_[0] = static_cast<uint8_t>(reply.length >> 8);
            scratch_[1] = static_cast<uint8_t>(reply.length);
            engine.write(c, scratch_.get(), kLengthPrefix + reply.length);
        }
        engine.consume(c, kLengthPrefix + length);
    }
}

void TcpStreamHandler::on_peer_closed(tcp::Engine& engine, tcp::Connection& c) {
    engine.close(c); // RFC 7766 §6.2.3: the client closed; answers already queued still go
}

void TcpStreamHandler::on_idle(tcp::Engine&, tcp::Connection&) {
    // RFC 7766 §6.2.3: the server closes an idle connection; the engine sends the FIN.
}

} // namespace ringcast::dns
