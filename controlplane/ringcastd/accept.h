// Draining a listening socket's backlog from the event loop, bounded per wakeup so one busy
// listener cannot starve the others.
#pragma once

#include "controlplane/ringcastd/log.h"
#include "dataplane/util/unique_fd.h"

#include <cerrno>
#include <cstring>
#include <string_view>
#include <sys/socket.h>

namespace ringcast::daemon {

// Accepts up to `max` waiting connections on the non-blocking `listener`, handing each to
// `take`. Failures other than "nothing waiting" are logged under `what`.
template <typename Take>
void accept_waiting(int listener, int max, std::string_view what, Take take) {
    for (int i = 0; i < max; ++i) {
        UniqueFd fd(accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (!fd) {
            if (errno != EAGAIN && errno != EINTR)
                log::error("{} accept: {}", what, std::strerror(errno));
            return;
        }
        take(std::move(fd));
    }
}

} // namespace ringcast::daemon
