// The byte streams above one engine, by local port: DNS on 53, HTTP on 80. The one place that
// says which TCP ports a PoP serves; a segment to any other gets a RST (net/tcp.cpp).
#pragma once

#include "dataplane/tcp/engine.h"

#include <array>
#include <cstdint>

namespace ringcast::tcp {

inline constexpr size_t kMaxServedPorts = 4;

class PortDispatch : public StreamHandler {
  public:
    struct Entry {
        uint16_t port = 0;
        StreamHandler* handler = nullptr;
    };
    // False when the table is full.
    bool add(uint16_t port, StreamHandler& handler) {
        if (count_ == kMaxServedPorts) return false;
        entries_[count_++] = Entry{port, &handler};
        return true;
    }

    bool listening(uint16_t port) const override { return find(port) != nullptr; }
    void on_readable(Engine& engine, Connection& c) override {
        if (StreamHandler* h = find(c.flow.local_port)) h->on_readable(engine, c);
    }
    void on_peer_closed(Engine& engine, Connection& c) override {
        if (StreamHandler* h = find(c.flow.local_port)) h->on_peer_closed(engine, c);
    }
    void on_idle(Engine& engine, Connection& c) override {
        if (StreamHandler* h = find(c.flow.local_port)) h->on_idle(engine, c);
    }
    void on_closed(Engine& engine, Connection& c) override {
        if (StreamHandler* h = find(c.flow.local_port)) h->on_closed(engine, c);
    }

  private:
    StreamHandler* find(uint16_t port) const {
        for (size_t i = 0; i < count_; ++i)
            if (entries_[i].port == port) return entries_[i].handler;
        return nullptr;
    }
    std::array<Entry, kMaxServedPorts> entries_{};
    size_t count_ = 0;
};

} // namespace ringcast::tcp
