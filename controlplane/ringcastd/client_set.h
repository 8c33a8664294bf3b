// The connected clients of one of the daemon's listeners (the admin socket, the metrics
// endpoint), keyed by a per-listener id. What both need the same way: a client asks to be
// dropped from inside one of its own event callbacks, so it is kept alive until that callback
// has returned.
//
// `Client` is constructed as Client(owner, id, fd) and has start() (register with the loop) and
// stop() (unregister: no callback runs after it).
#pragma once

#include "controlplane/ringcastd/event_loop.h"
#include "dataplane/util/unique_fd.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ringcast::daemon {

template <typename Client>
class ClientSet {
  public:
    explicit ClientSet(EventLoop& loop) : loop_(loop) {}
    ~ClientSet() { stop_all(); }
    ClientSet(const ClientSet&) = delete;
    ClientSet& operator=(const ClientSet&) = delete;

    size_t size() const { return clients_.size(); }

    // Creates a client on `fd` for `owner` and starts it.
    template <typename Owner>
    void add(Owner& owner, UniqueFd fd) {
        const uint64_t id = next_id_++;
        auto client = std::make_shared<Client>(owner, id, std::move(fd));
        clients_.emplace(id, client);
        client->start();
    }

    // Stops and forgets client `id`; it is destroyed once the running callback has returned.
    void drop(uint64_t id) {
        const auto it = clients_.find(id);
        if (it == clients_.end()) return;
        it->second->stop();
        std::shared_ptr<Client> keep = std::move(it->second);
        clients_.erase(it);
        loop_.after(std::chrono::milliseconds(0), [keep] {});
    }

    // Stops and forgets every client (a listener shutting down).
    void stop_all() {
        auto clients = std::move(clients_);
        clients_.clear();
        for (auto& [id, client] : clients)
            client->stop();
    }

    // Calls `visit` on every client, on a copy of the set: `visit` may drop clients.
    template <typename Visit>
    void for_each(Visit visit) {
        std::vector<std::shared_ptr<Client>> all;
        all.reserve(clients_.size());
        for (auto& [id, client] : clients_)
            all.push_back(client);
        for (auto& client : all)
            visit(*client);
    }

  private:
    EventLoop& loop_;
    uint64_t next_id_ = 1;
    std::unordered_map<uint64_t, std::shared_ptr<Client>> clients_;
};

} // namespace ringcast::daemon
