// DNS over TCP (RFC 7766, RFC 1035 §4.2.2): length-prefixed messages on a TCP byte stream,
// several queries per connection, answered in order as they complete (pipelining, §6.2.1.1).
// The same responder as UDP answers, without the UDP size limits: an answer that is truncated
// over UDP completes here.
#pragma once

#include "dataplane/dns/responder.h"
#include "dataplane/tcp/engine.h"

#include <memory>

namespace ringcast::dns {

class TcpStreamHandler : public tcp::StreamHandler {
  public:
    TcpStreamHandler(const ResponderConfig& config, stats::LcoreCounters& counters);

    // The snapshot to answer from, set by the lcore before each burst and each timer sweep.
    void use_snapshot(const snapshot::View* snapshot) { snapshot_ = snapshot; }

    void on_readable(tcp::Engine& engine, tcp::Connection& c) override;
    void on_peer_closed(tcp::Engine& engine, tcp::Connection& c) override;
    void on_idle(tcp::Engine& engine, tcp::Connection& c) override;
    void on_closed(tcp::Engine&, tcp::Connection&) override {} // answers are copied: no pins

  private:
    const ResponderConfig& config_;
    stats::LcoreCounters& counters_;
    const snapshot::View* snapshot_ = nullptr;
    // One message and its answer, written in place (the responder's contract), with the
    // 2-byte length prefix in front.
    std::unique_ptr<uint8_t[]> scratch_;
};

} // namespace ringcast::dns
