// link_impair: delay, reorder and drop the packets an iptables NFQUEUE rule hands it, for the
// integration tests on a kernel without netem. It binds one queue, decides per packet
// (impairment.h), keeps the delayed ones in a min-heap of due times and gives each its NF_ACCEPT
// when due (NFQUEUE allows verdicts in any order). Bounded: it exits after --duration-s, and on
// SIGTERM or SIGINT; either way it accepts every packet it still holds and prints its counts.
//   link_impair --queue-num N [--delay-ms D] [--jitter-ms J] [--reorder-percent P]
//               [--loss-percent L] [--duration-s S] [--seed X]
// Use it with `iptables -I CHAIN ... -j NFQUEUE --queue-num N --queue-bypass`, so that packets
// pass unimpaired while no program is bound.
#include "tests/tools/link_impair/impairment.h"

#include <CLI/CLI.hpp>
#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <linux/netfilter.h>
#include <poll.h>
#include <random>
#include <sys/socket.h>

extern "C" {
#include <libnetfilter_queue/libnetfilter_queue.h>
}

using namespace ringcast::tools;

namespace {

// Packets held at once. Past it a packet is accepted at once (fail-open, counted), so a burst
// larger than the delay can hold never stalls the link: 10 MB in flight is ~7000 segments.
constexpr size_t kMaxHeld = 32768;
// The kernel's queue counts every packet awaiting a verdict, the held ones included; past its
// length NFQA_CFG_F_FAIL_OPEN accepts instead of dropping.
constexpr uint32_t kKernelQueueMaxLen = 2 * kMaxHeld;
// Only metadata is copied to us (NFQNL_COPY_META): ~100 bytes a packet, so 8 MiB of socket
// buffer holds the whole kernel queue's notifications.
constexpr int kSocketBufferBytes = 8 << 20;
constexpr size_t kReceiveBufferBytes = 64 << 10;
constexpr int kMaxDurationS = 3600;
constexpr int kMaxDelayMs = 10000;

struct Counts {
    uint64_t queued = 0;
    uint64_t delayed = 0;
    uint64_t reordered = 0;
    uint64_t dropped = 0;
    uint64_t passed = 0;             // no delay asked (0 ms)
    uint64_t overflowed = 0;         // accepted at once: kMaxHeld were held
    uint64_t lost_notifications = 0; // ENOBUFS: the kernel could not tell us of some packets
};

struct State {
    Impairment* impairment;
    HeldPackets held;
    Counts counts;
    nfq_q_handle* queue = nullptr;
};

volatile sig_atomic_t stop_requested = 0;
void on_stop_signal(int) {
    stop_requested = 1;
}

void verdict(nfq_q_handle* queue, uint32_t id, uint32_t verdict) {
    if (nfq_set_verdict(queue, id, verdict, 0, nullptr) < 0)
        std::fprintf(stderr, "link_impair: verdict for packet %u: %s\n", id, std::strerror(errno));
}

int on_packet(nfq_q_handle* queue, nfgenmsg*, nfq_data* packet, void* data) {
    auto& state = *static_cast<State*>(data);
    const nfqnl_msg_packet_hdr* header = nfq_get_msg_packet_hdr(packet);
    if (!header) return 0;
    const uint32_t id = ntohl(header->packet_id);
    ++state.counts.queued;
    const Decision decision = state.impairment->decide();
    switch (decision.action) {
    case Decision::Action::drop:
        ++state.counts.dropped;
        verdict(queue, id, NF_DROP);
        break;
    case Decision::Action::reorder:
        ++state.counts.reordered;
        verdict(queue, id, NF_ACCEPT);
        break;
    case Decision::Action::pass:
        ++state.counts.passed;
        verdict(queue, id, NF_ACCEPT);
        break;
    case Decision::Action::hold:
        if (state.held.size() >= kMaxHeld) {
            ++state.counts.overflowed;
            verdict(queue, id, NF_ACCEPT);
            break;
        }
        ++state.counts.delayed;
        state.held.hold(Clock::now() + decision.delay, id);
        break;
    }
    return 0;
}

// Reads every notification waiting on the socket, without blocking.
void receive_all(nfq_handle* handle, int fd, State& state) {
    static char buffer[kReceiveBufferBytes];
    for (;;) {
        const ssize_t length = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (length > 0) {
            nfq_handle_packet(handle, buffer, static_cast<int>(length));
            continue;
        }
        // ENOBUFS: notifications were lost; those packets wait in the kernel with no verdict
        // until the queue is destroyed, which drops them (TCP sends them again).
        if (length < 0 && errno == ENOBUFS) {
            ++state.counts.lost_notifications;
            continue;
        }
        return;
    }
}

void release_due(State& state, Clock::time_point now) {
    while (!state.held.empty() && state.held.next_due() <= now)
        verdict(state.queue, state.held.pop().packet_id, NF_ACCEPT);
}

timespec until(Clock::time_point now, Clock::time_point when) {
    const auto left = std::max(Clock::duration::zero(), when - now);
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(left);
    return {static_cast<time_t>(seconds.count()),
            static_cast<long>(std::chrono::nanoseconds(left - seconds).count())};
}

void print_counts(const Counts& c) {
    std::printf(
        "link_impair: queued %llu, delayed %llu, reordered %llu, dropped %llu, passed "
        "%llu, overflowed %llu, lost notifications %llu\n",
        static_cast<unsigned long long>(c.queued), static_cast<unsigned long long>(c.delayed),
        static_cast<unsigned long long>(c.reordered), static_cast<unsigned long long>(c.dropped),
        static_cast<unsigned long long>(c.passed), static_cast<unsigned long long>(c.overflowed),
        static_cast<unsigned long long>(c.lost_notifications));
    std::fflush(stdout);
}

// The queue on `handle`, set up as the header says; nullptr (with a message) on failure.
nfq_q_handle* open_queue(nfq_handle* handle, uint16_t number, State& state) {
    nfq_q_handle* queue = nfq_create_queue(handle, number, on_packet, &state);
    if (!queue) {
        std::fprintf(stderr, "link_impair: cannot bind queue %u: %s\n", number,
                     std::strerror(errno));
        return nullptr;
    }
    if (nfq_set_mode(queue, NFQNL_COPY_META, 0) < 0 ||
        nfq_set_queue_maxlen(queue, kKernelQueueMaxLen) < 0 ||
        nfq_set_queue_flags(queue, NFQA_CFG_F_FAIL_OPEN, NFQA_CFG_F_FAIL_OPEN) < 0) {
        std::fprintf(stderr, "link_impair: cannot configure queue %u: %s\n", number,
                     std::strerror(errno));
        nfq_destroy_queue(queue);
        return nullptr;
    }
    const int fd = nfq_fd(handle);
    // SO_RCVBUFFORCE passes net.core.rmem_max (we are root); a plain SO_RCVBUF does not.
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &kSocketBufferBytes, sizeof kSocketBufferBytes) <
        0)
        std::fprintf(stderr, "link_impair: socket buffer stays small: %s\n", std::strerror(errno));
    return queue;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app("Delay, reorder and drop the packets of one NFQUEUE queue");
    uint16_t queue_number = 0;
    int delay_ms = 0, jitter_ms = 0, duration_s = 60;
    unsigned reorder_percent = 0, loss_percent = 0;
    uint64_t seed = std::random_device{}();
    app.add_option("--queue-num", queue_number, "the NFQUEUE queue to bind")->required();
    app.add_option("--delay-ms", delay_ms, "delay of each held packet")
        ->check(CLI::Range(0, kMaxDelayMs));
    app.add_option("--jitter-ms", jitter_ms, "the delay varies by up to this either way")
        ->check(CLI::Range(0, kMaxDelayMs));
    app.add_option("--reorder-percent", reorder_percent, "share released at once, undelayed")
        ->check(CLI::Range(0, 100));
    app.add_option("--loss-percent", loss_percent, "share dropped")->check(CLI::Range(0, 100));
    app.add_option("--duration-s", duration_s, "exit after this long")
        ->check(CLI::Range(1, kMaxDurationS));
    app.add_option("--seed", seed, "random seed (default: random)");
    CLI11_PARSE(app, argc, argv);

    Impairment impairment({std::chrono::milliseconds(delay_ms),
                           std::chrono::milliseconds(jitter_ms), reorder_percent, loss_percent},
                          seed);
    State state{&impairment, {}, {}, nullptr};

    // SIGTERM and SIGINT are blocked except inside ppoll, so a signal cannot slip in between
    // the flag's check and the wait.
    sigset_t stop_signals, wait_mask;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    sigprocmask(SIG_BLOCK, &stop_signals, &wait_mask);
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);

    nfq_handle* handle = nfq_open();
    if (!handle) {
        std::fprintf(stderr, "link_impair: nfq_open: %s\n", std::strerror(errno));
        return 1;
    }
    state.queue = open_queue(handle, queue_number, state);
    if (!state.queue) {
        nfq_close(handle);
        return 1;
    }
    const int fd = nfq_fd(handle);
    std::printf("link_impair: queue %u bound (delay %d ms, jitter %d ms, reorder %u %%, loss %u "
                "%%, seed %llu)\n",
                queue_number, delay_ms, jitter_ms, reorder_percent, loss_percent,
                static_cast<unsigned long long>(seed));
    std::fflush(stdout);

    const Clock::time_point deadline = Clock::now() + std::chrono::seconds(duration_s);
    while (!stop_requested) {
        const Clock::time_point now = Clock::now();
        if (now >= deadline) break;
        release_due(state, now);
        const Clock::time_point wake =
            state.held.empty() ? deadline : std::min(deadline, state.held.next_due());
        const timespec timeout = until(now, wake);
        pollfd waiting{fd, POLLIN, 0};
        const int ready = ppoll(&waiting, 1, &timeout, &wait_mask);
        if (ready < 0 && errno != EINTR) {
            std::fprintf(stderr, "link_impair: ppoll: %s\n", std::strerror(errno));
            break;
        }
        if (ready > 0) receive_all(handle, fd, state);
    }

    // What we still hold goes out now: destroying the queue would drop it.
    release_due(state, Clock::time_point::max());
    nfq_destroy_queue(state.queue);
    nfq_close(handle);
    print_counts(state.counts);
    return 0;
}
