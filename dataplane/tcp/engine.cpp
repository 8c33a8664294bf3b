#include "dataplane/tcp/engine.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <new>
#include <sys/mman.h>
#include <xxhash.h>

namespace ringcast::tcp {
namespace {

constexpr uint32_t kEmpty = UINT32_MAX;
constexpr uint32_t kInitialWindowSegments = 10;    // RFC 6928
constexpr uint32_t kInitialWindowCapBytes = 14600; // RFC 6928 §2
constexpr uint16_t kMaxUnscaledWindow = 0xffff;
constexpr uint64_t kMicrosPerSecond = 1'000'000;

uint64_t flow_hash(const FlowKey& flow, uint64_t seed) {
    uint8_t input[FlowKey::kHashInputLength];
    flow.hash_input(input);
    return XXH3_64bits_withSeed(input, sizeof(input), seed);
}

// EngineConfig::mss is for IPv4; an IPv6 header is 20 bytes longer.
constexpr uint16_t kIpv6HeaderExtra = 20;
uint16_t our_mss_for(const FlowKey& flow, uint16_t ipv4_mss) {
    return flow.ipv6 ? static_cast<uint16_t>(ipv4_mss - kIpv6HeaderExtra) : ipv4_mss;
}

uint32_t initial_window(uint16_t mss) {
    return std::min(kInitialWindowSegments * mss,
                    std::max<uint32_t>(2u * mss, kInitialWindowCapBytes));
}

// RFC 3042 §2: the first two duplicate ACKs may each send one new segment beyond cwnd.
constexpr uint32_t kLimitedTransmitSegments = 2;
// RFC 8985 §7.2: the worst-case delayed-ACK time a lone segment's probe waits for, and the PTO
// before any RTT sample.
constexpr uint32_t kWorstCaseDelayedAckUs = 200'000;
constexpr uint32_t kInitialPtoUs = 1'000'000;

uint64_t earliest(uint64_t a, uint64_t b) {
    if (a == 0) return b;
    if (b == 0) return a;
    return std::min(a, b);
}

// RFC 7323 §5.3: TSval comparisons are modulo 2^32 like sequence numbers.
bool ts_older(uint32_t a, uint32_t b) {
    return static_cast<int32_t>(a - b) < 0;
}

} // namespace

Engine::Engine(const EngineConfig& config, SegmentSink& sink, StreamHandler& handler,
               stats::LcoreCounters& counters)
    : config_(config), sink_(sink), handler_(handler), connections_(config.max_connections),
      buffers_(size_t{config.max_connections} * (config.rx_buffer + config.tx_buffer)),
      buckets_(std::bit_ceil(std::max<uint32_t>(2 * config.max_connections, 2)), kEmpty),
      hash_seed_(config.secret.key[0] ^ std::rotl(config.secret.key[1], 17)),
      timers_(config.max_connections), time_wait_order_(config.max_connections),
      counters_(counters) {
    free_.reserve(config.max_connections);
    for (uint32_t i = config.max_connections; i-- > 0;) {
        Connection& c = connections_[i];
        c.rx = buffers_.data + size_t{i} * (config.rx_buffer + config.tx_buffer);
        c.tx.attach(c.rx + config.rx_buffer, config.tx_buffer);
        free_.push_back(i);
    }
}

Engine::Mapping::Mapping(size_t bytes) : size(bytes) {
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    data = static_cast<uint8_t*>(p);
}

Engine::Mapping::~Mapping() {
    munmap(data, size);
}

size_t Engine::memory_bytes() const {
    return connections_.size() * (sizeof(Connection) + config_.rx_buffer + config_.tx_buffer) +
           buckets_.size() * sizeof(uint32_t) + free_.capacity() * sizeof(uint32_t);
}

// ---- The connection table: linear probing, deletion by backward shift (no tombstones, so a
// table that churns through connections never degrades).

Connection* Engine::find(const FlowKey& flow) {
    const size_t mask = buckets_.size() - 1;
    for (size_t i = flow_hash(flow, hash_seed_) & mask;; i = (i + 1) & mask) {
        const uint32_t slot = buckets_[i];
        if (slot == kEmpty) return nullptr;
        if (connections_[slot].flow == flow) return &connections_[slot];
    }
}

Connection* Engine::admit(const Segment& s, uint16_t mss, uint64_t now_us) {
    if (free_.empty() && !recycle_time_wait()) {
        counters_.add(stats::Counter::tcp_table_full);
        return nullptr;
    }
    const uint32_t slot = free_.back();
    free_.pop_back();
    const size_t mask = buckets_.size() - 1;
    size_t i = flow_hash(s.flow, hash_seed_) & mask;
    while (buckets_[i] != kEmpty)
        i = (i + 1) & mask;
    buckets_[i] = slot;

    Connection& c = connections_[slot];
    uint8_t* const rx = c.rx;
    SendQueue tx = c.tx;
    c = Connection{};
    c.rx = rx;
    c.tx = tx;
    c.tx.clear();
    c.flow = s.flow;
    c.link = s.link;
    c.state = State::kEstablished;
    c.iss = s.ack - 1;
    c.snd_una = c.snd_nxt = c.snd_max = s.ack;
    c.rcv_nxt = s.seq;
    c.mss = std::min(mss, our_mss_for(s.flow, config_.mss));
    c.timestamps = s.options.has_timestamps;
    if (c.timestamps) {
        // The MSS counts payload only; every segment now carries the timestamp option, so its
        // payload is that much smaller or the frame outgrows the path's MTU (RFC 6691 §2,
        // RFC 9293 §3.7.1).
        c.mss = static_cast<uint16_t>(c.mss - kTimestampOptionLength);
        c.ts_recent = s.options.ts_value;
        if (auto scale = cookie_window_scale(s.options.ts_echo)) c.snd_wscale = *scale;
        c.sack = cookie_sack_permitted(s.options.ts_echo);
        if (c.sack) counters_.add(stats::Counter::tcp_sack_permitted);
    }
    c.snd_wl1 = s.seq;
    c.snd_wl2 = s.ack;
    c.snd_wnd = uint32_t{s.window} << c.snd_wscale;
    c.max_snd_wnd = c.snd_wnd;
    c.cwnd = initial_window(c.mss);
    c.ssthresh = UINT32_MAX;
    c.last_activity_us = now_us;
    ++open_;
    counters_.add(stats::Counter::tcp_connections_opened);
    rearm(c);
    return &c;
}

void Engine::release(Connection& c) {
    const size_t mask = buckets_.size() - 1;
    const uint32_t slot = index_of(c);
    size_t i = flow_hash(c.flow, hash_seed_) & mask;
    while (buckets_[i] != slot)
        i = (i + 1) & mask;
    // Backward shift: move up every later entry of the run that may not sit past the hole.
    for (size_t j = (i + 1) & mask; buckets_[j] != kEmpty; j = (j + 1) & mask) {
        const size_t home = flow_hash(connections_[buckets_[j]].flow, hash_seed_) & mask;
        const bool between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (between) continue;
        buckets_[i] = buckets_[j];
        i = j;
    }
    buckets_[i] = kEmpty;
    timers_.cancel(slot);
    handler_.on_closed(*this, c); // whatever the send queue referenced is free now
    c.tx.clear();
    c.state = State::kFree;
    free_.push_back(slot);
    --open_;
}

// ---- Segments for no connection (RFC 9293 §3.10.7.1, with SYN cookies in place of LISTEN)

void Engine::on_segment(const Segment& s, uint64_t now_us) {
    counters_.add(stats::Counter::tcp_segments_received);
    if (Connection* c = find(s.flow)) {
        process(*c, s, now_us);
        return;
    }
    if (s.has(kRst)) return; // never answer a RST
    if (s.has(kSyn) && !s.has(kAck)) {
        answer_syn(s, now_us);
        return;
    }
    if (s.has(kAck) && !s.has(kSyn)) {
        answer_ack_without_connection(s, now_us);
        return;
    }
    send_reset_for(s);
}

void Engine::answer_syn(const Segment& s, uint64_t now_us) {
    const uint16_t peer_mss = s.options.has_mss ? s.options.mss : kDefaultMss;
    OutSegment out;
    out.flow = s.flow;
    out.link = s.link;
    out.seq = make_syn_cookie(config_.secret, s.flow, s.seq, peer_mss, now_us / kMicrosPerSecond);
    out.ack = s.seq + 1;
    out.flags = kSyn | kAck;
    out.window = static_cast<uint16_t>(std::min<uint32_t>(config_.rx_buffer, kMaxUnscaledWindow));
    SynAckOptions options;
    options.mss = our_mss_for(s.flow, config_.mss);
    // Window scale only with timestamps: the echoed TSval is where the cookie keeps the peer's
    // shift. Our own receive window fits 16 bits, so our shift is 0.
    options.timestamps = s.options.has_timestamps;
    options.window_scale = s.options.has_timestamps && s.options.has_window_scale;
    options.our_window_scale = 0;
    if (options.timestamps) {
        options.ts_value = cookie_ts_value(timestamp_clock(now_us), s.options.has_window_scale,
                                           s.options.window_scale, s.options.sack_permitted);
        // RFC 2018 §2: offered only to a peer that offered it, and only with timestamps (the
        // cookie has nowhere else to keep it).
        options.sack_permitted = s.options.sack_permitted;
        options.ts_echo = s.options.ts_value;
    }
    out.options_length = static_cast<uint8_t>(write_syn_ack_options(options, out.options));
    counters_.add(stats::Counter::tcp_syn_cookies_sent);
    counters_.add(stats::Counter::tcp_segments_sent);
    sink_.send(out);
}

void Engine::answer_ack_without_connection(const Segment& s, uint64_t now_us) {
    const auto mss =
        check_syn_cookie(config_.secret, s.flow, s.seq - 1, s.ack - 1, now_us / kMicrosPerSecond);
    // A forged cookie, or a segment for a connection long gone (after a restart, say): RFC 9293
    // §3.10.7.1 answers an ACK to no connection with <SEQ=SEG.ACK><CTL=RST>.
    if (!mss) {
        counters_.add(stats::Counter::tcp_syn_cookies_rejected);
        send_reset_for(s);
        return;
    }
    Connection* c = admit(s, *mss, now_us);
    if (!c) {
        send_reset_for(s);
        return;
    }
    counters_.add(stats::Counter::tcp_syn_cookies_accepted);
    if (s.payload_length != 0 || s.has(kFin)) receive_data(*c, s);
    finish_segment(*c, now_us);
}

void Engine::send_reset_for(const Segment& s) {
    OutSegment out;
    out.flow = s.flow;
    out.link = s.link;
    if (s.has(kAck)) {
        out.seq = s.ack;
        out.flags = kRst;
    } else {
        out.seq = Seq(0);
        out.ack = s.seq + s.sequence_length();
        out.flags = kRst | kAck;
    }
    counters_.add(stats::Counter::tcp_resets_sent);
    counters_.add(stats::Counter::tcp_segments_sent);
    sink_.send(out);
}

// ---- Segments for a connection (RFC 9293 §3.10.7.4)

void Engine::process(Connection& c, const Segment& s, uint64_t now_us) {
    if (c.state == State::kTimeWait) {
        // §3.10.7.4: in TIME-WAIT a retransmitted FIN is re-ACKed and restarts the wait; a RST
        // ends it; anything else is answered with an ACK.
        if (s.has(kRst)) {
            if (s.seq == c.rcv_nxt) release(c);
            return;
        }
        if (s.has(kFin)) enter_time_wait(c, now_us);
        send_ack(c, now_us);
        return;
    }

    // RFC 7323 §5.3 PAWS: a segment whose TSval is older than the last one seen is a duplicate
    // from an earlier wrap of the sequence space.
    if (c.timestamps && s.options.has_timestamps && !s.has(kRst) &&
        ts_older(s.options.ts_value, c.ts_recent)) {
        counters_.add(stats::Counter::tcp_paws_rejected);
        send_ack(c, now_us);
        return;
    }

    // §3.10.7.4 first check: the segment must overlap the receive window.
    const uint32_t rcv_wnd = config_.rx_buffer - c.rx_length;
    const uint32_t length = s.sequence_length();
    bool acceptable;
    if (length == 0) {
        acceptable = rcv_wnd == 0 ? s.seq == c.rcv_nxt : in_window(s.seq, c.rcv_nxt, rcv_wnd);
    } else {
        acceptable = rcv_wnd != 0 && (in_window(s.seq, c.rcv_nxt, rcv_wnd) ||
                                      in_window(s.seq + (length - 1), c.rcv_nxt, rcv_wnd));
    }
    // A segment wholly before RCV.NXT whose end touches it (a keep-alive probe, a retransmitted
    // FIN) is also answered with an ACK below.
    if (!acceptable) {
        if (!s.has(kRst)) {
            counters_.add(stats::Counter::tcp_unacceptable_segments);
            send_ack(c, now_us);
        }
        return;
    }

    // RFC 5961 §3.2: only a RST exactly at RCV.NXT resets; one elsewhere in the window gets a
    // challenge ACK, so a blind attacker must guess the exact sequence number.
    if (s.has(kRst)) {
        if (s.seq == c.rcv_nxt) {
            counters_.add(stats::Counter::tcp_connections_reset_by_peer);
            release(c);
        } else {
            challenge_ack(c, now_us);
        }
        return;
    }
    // RFC 5961 §4.2: a SYN on a synchronized connection gets a challenge ACK, never a reset.
    if (s.has(kSyn)) {
        challenge_ack(c, now_us);
        return;
    }
    if (!s.has(kAck)) return; // §3.10.7.4 fifth check: no ACK, drop

    if (!process_ack(c, s, now_us)) return;
    if (c.state == State::kFree) return;

    // RFC 7323 §4.3: remember the newest TSval of a segment at the left edge of the window.
    if (c.timestamps && s.options.has_timestamps && s.seq <= c.rcv_nxt)
        c.ts_recent = s.options.ts_value;
    c.last_activity_us = now_us;

    if (s.payload_length != 0 || s.has(kFin)) receive_data(c, s);
    finish_segment(c, now_us);
}

void Engine::finish_segment(Connection& c, uint64_t now_us) {
    if (c.state == State::kFree) return;
    output(c, now_us);
    // Data or a FIN arrived and no segment went out to carry the ACK: send it alone.
    if (c.ack_pending) send_ack(c, now_us);
    schedule_loss_probe(c, now_us);
}

void Engine::schedule_loss_probe(Connection& c, uint64_t now_us) {
    // RFC 8985 §7.2: in the open state of a SACK connection, with data in flight and no probe
    // outstanding. (A FIN in flight is left to the RTO, which resends it.)
    const bool open = c.sack && !c.in_recovery && !c.tlp_in_flight && c.flight() != 0 &&
                      !c.fin_sent && c.rto_deadline_us != 0 && c.snd_wnd != 0;
    if (!open) {
        if (c.pto_deadline_us != 0) {
            c.pto_deadline_us = 0;
            rearm(c);
        }
        return;
    }
    uint64_t pto = kInitialPtoUs;
    if (c.rtt.has_sample()) {
        pto = 2ull * c.rtt.srtt_us();
        if (c.flight() <= c.mss) pto += kWorstCaseDelayedAckUs;
    }
    // Never after the RTO.
    c.pto_deadline_us = std::min(now_us + pto, c.rto_deadline_us);
    rearm(c);
}

void Engine::send_loss_probe(Connection& c, uint64_t now_us) {
    // RFC 8985 §7.3: a new segment if the peer's window allows, else the last one sent again,
    // so that its ACK (with SACK) shows RACK what of the tail was lost.
    if (!c.sack || c.in_recovery || c.tlp_in_flight || c.flight() == 0) return;
    const Seq data_end = c.snd_una + c.tx.length();
    const uint32_t room = c.snd_wnd > c.flight() ? c.snd_wnd - c.flight() : 0;
    counters_.add(stats::Counter::tcp_tlp_probes);
    if (c.snd_nxt < data_end && room != 0 && !c.sent_log.full()) {
        const uint32_t length =
            std::min<uint32_t>({static_cast<uint32_t>(data_end - c.snd_nxt), c.mss, room});
        c.snd_nxt += send_data(c, c.snd_nxt, length, now_us, false);
        c.snd_max = seq_max(c.snd_max, c.snd_nxt);
        c.tlp_is_retransmission = false;
    } else {
        if (c.sent_log.size() == 0) return;
        const TransmitRecord last = c.sent_log.at(c.sent_log.size() - 1);
        send_data(c, last.begin, last.length, now_us, false);
        counters_.add(stats::Counter::tcp_tlp_retransmissions);
        counters_.add(stats::Counter::tcp_segments_retransmitted);
        c.tlp_is_retransmission = true;
    }
    c.tlp_in_flight = true;
    c.tlp_end = c.snd_max;
    // §7.3: the RTO restarts from the probe.
    c.rto_deadline_us = now_us + c.rtt.rto_us();
}

bool Engine::process_ack(Connection& c, const Segment& s, uint64_t now_us) {
    // RFC 5961 §5.2: acceptable ACKs lie in [SND.UNA - MAX.SND.WND, SND.MAX].
    if (s.ack > c.snd_max) {
        counters_.add(stats::Counter::tcp_bad_ack);
        send_ack(c, now_us);
        return false;
    }
    if (s.ack < c.snd_una - c.max_snd_wnd) {
        challenge_ack(c, now_us);
        return false;
    }

    const uint32_t window = uint32_t{s.window} << c.snd_wscale;
    const bool window_changed = window != c.snd_wnd;
    // §3.10.7.4: update the window only from a segment newer than the last update.
    if (c.snd_wl1 < s.seq || (c.snd_wl1 == s.seq && c.snd_wl2 <= s.ack)) {
        c.snd_wnd = window;
        c.max_snd_wnd = std::max(c.max_snd_wnd, window);
        c.snd_wl1 = s.seq;
        c.snd_wl2 = s.ack;
    }

    const bool dsack = c.sack && s.options.sack_block_count != 0 && take_sack_blocks(c, s);

    const Seq data_end = c.snd_una + c.tx.length(); // the FIN, if sent, sits at data_end
    if (s.ack > c.snd_una) {
        uint32_t acked = static_cast<uint32_t>(s.ack - c.snd_una);
        // The FIN sits just past the data; an ACK can cover it only if it was sent (ACKs
        // beyond SND.MAX were refused above), even if a timeout has since rewound SND.NXT.
        const bool fin_acked = c.fin_queued && s.ack == data_end + 1;
        const uint32_t data_acked = fin_acked ? acked - 1 : acked;
        c.tx.drop_front(data_acked);
        c.snd_una = s.ack;
        if (c.snd_nxt < c.snd_una) c.snd_nxt = c.snd_una;
        c.sacked.drop_below(c.snd_una);
        if (fin_acked) c.fin_sent = true;
        // RFC 6298 §5.3: new data acknowledged restarts the timer, §5.2: all of it stops it.
        c.rto_deadline_us = c.snd_una == c.snd_max ? 0 : now_us + c.rtt.rto_us();

        // RTT from the echoed timestamp (RFC 7323 §4.1), which stays right after
        // retransmissions, so no Karn's-rule exception is needed.
        if (c.timestamps && s.options.has_timestamps && s.options.ts_echo != 0) {
            const uint32_t rtt_ms = timestamp_clock(now_us) - s.options.ts_echo;
            if (rtt_ms < kMaxRtoUs / 1000) c.rtt.sample(std::max<uint32_t>(rtt_ms, 1) * 1000);
        }
        c.retransmissions = 0;

        // RFC 5681 §3.1 and RFC 6582 §3.2.
        if (c.in_recovery) {
            if (s.ack >= c.recover) {
                c.in_recovery = false;
                c.cwnd = c.recovery_after_rto ? std::max<uint32_t>(c.cwnd, c.mss)
                                              : std::min(c.ssthresh, c.flight() + c.mss);
                c.recovery_after_rto = false;
                c.rack.recovery_ended();
            } else if (c.sack) {
                // Partial ACK: output() retransmits what RACK deems lost as the pipe allows;
                // after a timeout that is slow start (RFC 5681 §3.1).
                if (c.recovery_after_rto && c.cwnd < c.ssthresh)
                    c.cwnd += std::min<uint32_t>(acked, c.mss);
            } else {
                // Partial ACK: retransmit the next hole, deflate by what was acked.
                send_data(c, c.snd_una, std::min<uint32_t>(c.mss, c.tx.length()), now_us, false);
                counters_.add(stats::Counter::tcp_segments_retransmitted);
                c.cwnd = c.cwnd > acked ? c.cwnd - acked + c.mss : c.mss;
            }
        } else if (c.cwnd < c.ssthresh) {
            c.cwnd += std::min<uint32_t>(acked, c.mss); // slow start (RFC 3465 L = 1 SMSS)
        } else {
            // Congestion avoidance by bytes acknowledged, as RFC 5681 §3.1 recommends: one SMSS
            // per cwnd of data ACKed, however many ACKs that takes (a delayed-ACK peer sends
            // half as many, which per-ACK growth would halve).
            c.bytes_acked += acked;
            if (c.bytes_acked >= c.cwnd) {
                c.bytes_acked -= c.cwnd;
                c.cwnd += c.mss;
            }
        }
        c.dup_acks = 0;

        if (fin_acked) {
            switch (c.state) {
            case State::kFinWait1:
                c.state = State::kFinWait2;
                break;
            case State::kClosing:
                enter_time_wait(c, now_us);
                break;
            case State::kLastAck:
                counters_.add(stats::Counter::tcp_connections_closed);
                release(c);
                return false;
            default:
                break;
            }
        }
        rearm(c);
        // Room freed in the send buffer: a handler that stopped for lack of it resumes.
        if (c.rx_length != 0) handler_.on_readable(*this, c);
    } else if (s.ack == c.snd_una && s.payload_length == 0 && !s.has(kFin) && !window_changed &&
               c.flight() != 0) {
        // RFC 5681 §2 duplicate ACK. With SACK, RACK decides instead (below); the count still
        // drives limited transmit (output()).
        if (c.sack) {
            ++c.dup_acks;
        } else if (++c.dup_acks == kDupThreshSegments && !c.in_recovery) {
            c.ssthresh = std::max(c.flight() / 2, 2u * c.mss);
            c.cwnd = c.ssthresh + kDupThreshSegments * c.mss;
            c.in_recovery = true;
            c.recover = c.snd_max;
            send_data(c, c.snd_una, std::min<uint32_t>(c.mss, c.tx.length()), now_us, false);
            counters_.add(stats::Counter::tcp_fast_retransmits);
            counters_.add(stats::Counter::tcp_segments_retransmitted);
        } else if (c.in_recovery) {
            c.cwnd += c.mss; // inflate for each segment that has left the network
        }
    }
    if (c.sack) rack_on_ack(c, s, dsack, now_us);
    return true;
}

void Engine::rack_on_ack(Connection& c, const Segment& s, bool dsack, uint64_t now_us) {
    // RFC 8985 §6.2 steps 1-3: each segment delivered by this ACK, cumulatively or by SACK.
    const bool echo = c.timestamps && s.options.has_timestamps && s.options.ts_echo != 0;
    for (uint32_t i = 0; i < c.sent_log.size(); ++i) {
        TransmitRecord& r = c.sent_log.at(i);
        if (r.has(TransmitRecord::kDelivered)) continue;
        if (r.end() > c.snd_una && c.sacked.unsacked_bytes(r.begin, r.end()) != 0) continue;
        r.flags |= TransmitRecord::kDelivered;
        const bool echo_older = echo && r.has(TransmitRecord::kRetransmitted) &&
                                ts_older(s.options.ts_echo, timestamp_clock(r.xmit_us));
        // TSecr echoes the segment that last advanced the peer's RCV.NXT (RFC 7323 §4.3): for
        // the hole at the old SND.UNA, now cumulatively ACKed, an older echo says its first copy
        // filled it (a spurious retransmission, RFC 8985 §6.2 step 3's reordering).
        const bool filled_hole = i == 0 && r.end() <= c.snd_una;
        const uint64_t echo_age_us =
            uint64_t{static_cast<uint32_t>(timestamp_clock(now_us) - s.options.ts_echo)} * 1000;
        const uint64_t late_original_us =
            echo_older && filled_hole && echo_age_us < now_us ? now_us - echo_age_us : 0;
        const bool was_reordering = c.rack.reordering_seen();
        c.rack.delivered(r, now_us, echo_older, late_original_us);
        if (late_original_us != 0 && r.begin >= c.recovery_start) note_spurious_retransmit(c);
        if (!was_reordering && c.rack.reordering_seen())
            counters_.add(stats::Counter::tcp_rack_reordering_seen);
    }
    c.sent_log.drop_below(c.snd_una);
    if (dsack) c.rack.dsack(c.snd_una, c.snd_max);
    // §7.4: the fate of a tail loss probe, once the ACKs reach past it.
    if (c.tlp_in_flight) {
        if (dsack && c.tlp_is_retransmission) {
            c.tlp_in_flight = false; // the probe was a duplicate: nothing was lost
        } else if (c.snd_una >= c.tlp_end) {
            c.tlp_in_flight = false;
            if (c.tlp_is_retransmission && !c.in_recovery) {
                // The probe repaired a loss: the one congestion response it is owed.
                counters_.add(stats::Counter::tcp_tlp_recoveries);
                c.ssthresh = std::max(c.flight() / 2, 2u * c.mss);
                c.cwnd = c.ssthresh;
            }
        }
    }
    if (c.flight() == 0) {
        c.rack_deadline_us = 0;
        c.tlp_in_flight = false;
        return;
    }
    rack_detect_loss(c, now_us);
}

void Engine::rack_detect_loss(Connection& c, uint64_t now_us) {
    const uint32_t reo_wnd =
        c.rack.reo_wnd_us(c.in_recovery, c.sacked.sacked_bytes() / c.mss, c.rtt.srtt_us());
    const RackLosses losses = c.rack.detect_loss(c.sent_log, now_us, reo_wnd);
    c.rack_deadline_us = losses.timeout_us;
    if (losses.marked != 0) {
        counters_.add(stats::Counter::tcp_rack_losses, losses.marked);
        if (losses.retransmitted != 0)
            counters_.add(stats::Counter::tcp_rack_lost_retransmissions, losses.retransmitted);
    }
    if (!c.in_recovery && c.sent_log.lost_bytes() != 0) enter_sack_recovery(c, now_us);
    rearm(c);
}

bool Engine::take_sack_blocks(Connection& c, const Segment& s) {
    bool dsack = false;
    for (uint32_t i = 0; i < s.options.sack_block_count; ++i) {
        const Seq left(s.options.sack_left[i]);
        const Seq right(s.options.sack_right[i]);
        const Seq acked = seq_max(s.ack, c.snd_una); // an old ACK may lag SND.UNA
        if (right <= acked && left < right) {
            // RFC 2883 §4: a block below the cumulative ACK reports a duplicate segment.
            counters_.add(stats::Counter::tcp_sack_dsack_received);
            dsack = true;
            if (left >= c.recovery_start) note_spurious_retransmit(c);
            continue;
        }
        // RFC 2018 §4 blocks cover data sent and not cumulatively acknowledged; anything else
        // (empty, reversed, beyond SND.MAX, far below SND.UNA) is not trusted.
        if (!(left < right) || right > c.snd_max || left < c.snd_una - c.max_snd_wnd) {
            counters_.add(stats::Counter::tcp_sack_blocks_invalid);
            continue;
        }
        counters_.add(stats::Counter::tcp_sack_blocks_received);
        if (!c.sacked.add(seq_max(left, acked), right))
            counters_.add(stats::Counter::tcp_sack_scoreboard_full);
    }
    return dsack;
}

void Engine::note_spurious_retransmit(Connection& c) {
    if (!c.recovery_undoable) return;
    ++c.recovery_spurious;
    if (c.recovery_spurious < c.recovery_retransmits) return;
    // RFC 4015 §3: every retransmission of the recovery was needless (the reordering RACK
    // learns from took it for loss): the congestion state before it comes back.
    c.recovery_undoable = false;
    c.cwnd = std::max(c.cwnd, c.cwnd_before_recovery);
    c.ssthresh = std::max(c.ssthresh, c.ssthresh_before_recovery);
    if (c.in_recovery) {
        c.in_recovery = false;
        c.rack.recovery_ended();
    }
    counters_.add(stats::Counter::tcp_recoveries_undone);
}

void Engine::enter_sack_recovery(Connection& c, uint64_t now_us) {
    c.recovery_undoable = true;
    c.recovery_start = c.snd_una;
    c.recovery_retransmits = 0;
    c.recovery_spurious = 0;
    c.cwnd_before_recovery = c.cwnd;
    c.ssthresh_before_recovery = c.ssthresh;
    // RFC 6675 §5 (4): halve the flight (RFC 5681 §3.2 (2)), then the pipe governs sending.
    c.ssthresh = std::max(c.flight() / 2, 2u * c.mss);
    c.cwnd = c.ssthresh;
    c.in_recovery = true;
    c.recover = c.snd_max;
    counters_.add(stats::Counter::tcp_sack_recoveries);
    counters_.add(stats::Counter::tcp_fast_retransmits);
    retransmit_lost(c, now_us, true);
}

void Engine::retransmit_lost(Connection& c, uint64_t now_us, bool first_regardless) {
    // RFC 6675 §5 (C) with NextSeg rule 1, the lost segments being those RACK marked: lowest
    // first, while the pipe leaves a segment of cwnd. New data (rule 2) follows in output().
    uint32_t pipe = c.sent_log.pipe_bytes();
    for (uint32_t i = 0; i < c.sent_log.size() && (first_regardless || pipe + c.mss <= c.cwnd);
         ++i) {
        const TransmitRecord r = c.sent_log.at(i);
        if (!r.has(TransmitRecord::kLost) || r.has(TransmitRecord::kDelivered)) continue;
        // Only what is still un-SACKed of it (a partly SACKed record), below the data's end
        // (a lost FIN waits for the RTO).
        const auto hole = c.sacked.next_hole(r.begin, seq_min(r.end(), c.snd_una + c.tx.length()));
        if (!hole) continue;
        for (Seq at = hole->begin; at < hole->end;) {
            const uint32_t sent =
                send_data(c, at, static_cast<uint32_t>(hole->end - at), now_us, false);
            if (sent == 0) return;
            at += sent;
            pipe += sent;
            first_regardless = false;
            ++c.recovery_retransmits;
            counters_.add(stats::Counter::tcp_sack_retransmits);
            counters_.add(stats::Counter::tcp_segments_retransmitted);
        }
    }
}

void Engine::receive_data(Connection& c, const Segment& s) {
    const uint8_t* data = s.payload;
    uint32_t length = s.payload_length;
    Seq seq = s.seq;
    // Trim what was already received (a retransmission overlapping RCV.NXT).
    if (seq < c.rcv_nxt) {
        const uint32_t old = static_cast<uint32_t>(c.rcv_nxt - seq);
        if (old >= length) {
            length = 0;
            data = nullptr;
        } else {
            data += old;
            length -= old;
        }
        seq = c.rcv_nxt;
    }
    c.ack_pending = true;
    if (seq != c.rcv_nxt) {
        counters_.add(stats::Counter::tcp_out_of_order_dropped); // the ACK sent for it is a dup ACK
        return;
    }
    bool fin = s.has(kFin);
    const uint32_t room = config_.rx_buffer - c.rx_length;
    if (length > room) {
        counters_.add(stats::Counter::tcp_receive_buffer_full);
        length = room;
        fin = false; // the FIN comes after bytes we did not take
    }
    const bool duplicate_fin = c.peer_fin;
    if (length != 0 && !c.peer_fin) {
        std::memcpy(c.rx + c.rx_length, data, length);
        c.rx_length += length;
        c.rcv_nxt += length;
    }
    if (fin && !duplicate_fin) {
        c.rcv_nxt += 1;
        c.peer_fin = true;
        switch (c.state) {
        case State::kEstablished:
            c.state = State::kCloseWait;
            break;
        case State::kFinWait1:
            // Our FIN not yet acknowledged (else we would be in FIN-WAIT-2).
            c.state = State::kClosing;
            break;
        case State::kFinWait2:
            enter_time_wait(c, c.last_activity_us);
            break;
        default:
            break;
        }
    }
    if (length != 0) handler_.on_readable(*this, c);
    if (fin && !duplicate_fin && c.state != State::kTimeWait) handler_.on_peer_closed(*this, c);
}

void Engine::challenge_ack(Connection& c, uint64_t now_us) {
    if (now_us - challenge_window_start_us_ >= kMicrosPerSecond) {
        challenge_window_start_us_ = now_us;
        challenge_acks_in_window_ = 0;
    }
    if (challenge_acks_in_window_ >= config_.challenge_acks_per_second) {
        counters_.add(stats::Counter::tcp_challenge_acks_limited);
        return;
    }
    ++challenge_acks_in_window_;
    counters_.add(stats::Counter::tcp_challenge_acks);
    send_ack(c, now_us);
}

// ---- For the stream handler

void Engine::consume(Connection& c, uint32_t bytes) {
    bytes = std::min(bytes, c.rx_length);
    std::memmove(c.rx, c.rx + bytes, c.rx_length - bytes);
    c.rx_length -= bytes;
}

bool Engine::write(Connection& c, const uint8_t* data, uint32_t length) {
    return !c.fin_queued && c.tx.append_copy(data, length);
}

bool Engine::write_external(Connection& c, const uint8_t* data, uint32_t length) {
    return !c.fin_queued && c.tx.append_external(data, length);
}

void Engine::close(Connection& c) {
    c.fin_queued = true;
}

// ---- Output

uint16_t Engine::receive_window(const Connection& c) const {
    return static_cast<uint16_t>(
        std::min<uint32_t>(config_.rx_buffer - c.rx_length, kMaxUnscaledWindow));
}

OutSegment Engine::segment_for(const Connection& c, uint8_t flags, uint64_t now_us) const {
    OutSegment out;
    out.flow = c.flow;
    out.link = c.link;
    out.seq = c.snd_nxt;
    out.ack = c.rcv_nxt;
    out.flags = flags;
    out.window = receive_window(c);
    if (c.timestamps)
        out.options_length = static_cast<uint8_t>(
            write_timestamp_option(timestamp_clock(now_us), c.ts_recent, out.options));
    return out;
}

void Engine::send_ack(Connection& c, uint64_t now_us) {
    c.ack_pending = false;
    counters_.add(stats::Counter::tcp_segments_sent);
    sink_.send(segment_for(c, kAck, now_us));
}

uint32_t Engine::send_data(Connection& c, Seq from, uint32_t length, uint64_t now_us, bool fin) {
    const PayloadPieces payload = c.tx.gather(static_cast<uint32_t>(from - c.snd_una), length);
    fin = fin && payload.total == length; // a segment cut short of its pieces carries no FIN
    OutSegment out =
        segment_for(c, kAck | (payload.total != 0 ? kPsh : 0) | (fin ? kFin : 0), now_us);
    out.seq = from;
    out.payload = payload;
    c.ack_pending = false;
    counters_.add(stats::Counter::tcp_segments_sent);
    sink_.send(out);
    if (c.sack && payload.total != 0) c.sent_log.sent(from, payload.total, now_us);
    if (c.rto_deadline_us == 0) {
        c.rto_deadline_us = now_us + c.rtt.rto_us();
        rearm(c);
    }
    return payload.total;
}

void Engine::output(Connection& c, uint64_t now_us) {
    const bool sack_recovery = c.sack && c.in_recovery;
    if (sack_recovery) retransmit_lost(c, now_us);
    const Seq data_end = c.snd_una + c.tx.length();
    // RFC 3042: the first two duplicate ACKs each let one more new segment out.
    const uint32_t limited_transmit =
        c.in_recovery ? 0 : std::min(c.dup_acks, kLimitedTransmitSegments) * c.mss;
    const uint32_t window = c.cwnd + limited_transmit;
    while (c.snd_nxt < data_end) {
        // The peer's window bounds what is outstanding; cwnd bounds what is in the network,
        // which in SACK recovery is the pipe (RFC 6675 §5 (C)), elsewhere the whole flight.
        // A SACK connection sends new data only while the transmit log can track it.
        const uint32_t outstanding = c.flight();
        const uint32_t in_flight = sack_recovery ? c.sent_log.pipe_bytes() : outstanding;
        if (in_flight >= window || outstanding >= c.snd_wnd) break;
        if (c.sack && c.snd_nxt >= c.snd_max && c.sent_log.full()) {
            counters_.add(stats::Counter::tcp_transmit_log_full);
            break;
        }
        const uint32_t length =
            std::min({static_cast<uint32_t>(data_end - c.snd_nxt), static_cast<uint32_t>(c.mss),
                      window - in_flight, c.snd_wnd - outstanding});
        // Silly window avoidance (RFC 9293 §3.8.6.2.1): no small segment while a full one is
        // merely waiting for window, unless it is the last of the data.
        if (length < c.mss && c.snd_nxt + length != data_end && outstanding != 0) break;
        const bool fin_wanted = c.fin_queued && c.snd_nxt + length == data_end;
        if (in_flight >= c.cwnd) counters_.add(stats::Counter::tcp_limited_transmits);
        const uint32_t sent = send_data(c, c.snd_nxt, length, now_us, fin_wanted);
        const bool fin = fin_wanted && sent == length;
        c.snd_nxt += sent;
        if (fin) {
            c.snd_nxt += 1;
            c.fin_sent = true;
        }
        c.snd_max = seq_max(c.snd_max, c.snd_nxt);
    }
    if (c.fin_queued && !c.fin_sent && c.snd_nxt == data_end) {
        send_data(c, c.snd_nxt, 0, now_us, true);
        c.snd_nxt += 1;
        c.fin_sent = true;
        c.snd_max = seq_max(c.snd_max, c.snd_nxt);
    }
    if (c.fin_sent) {
        if (c.state == State::kEstablished) c.state = State::kFinWait1;
        if (c.state == State::kCloseWait) c.state = State::kLastAck;
    }
    // Zero window with data waiting: the RTO timer doubles as the persist timer.
    if (c.snd_nxt < data_end && c.snd_wnd == 0 && c.rto_deadline_us == 0) {
        c.rto_deadline_us = now_us + c.rtt.rto_us();
        rearm(c);
    }
}

// ---- Timers: one per connection, at the earliest of its deadlines.

void Engine::rearm(Connection& c) {
    uint64_t deadline;
    if (c.state == State::kTimeWait) {
        deadline = c.time_wait_until_us;
    } else {
        deadline = c.last_activity_us + config_.idle_timeout_us;
        deadline = earliest(
            deadline, earliest(c.rto_deadline_us, earliest(c.rack_deadline_us, c.pto_deadline_us)));
    }
    timers_.arm(index_of(c), deadline);
}

void Engine::sweep(uint64_t now_us) {
    timers_.sweep(now_us, [&](uint32_t slot) { on_timer(connections_[slot], now_us); });
}

void Engine::on_timer(Connection& c, uint64_t now_us) {
    if (c.state == State::kFree) return;
    if (c.state == State::kTimeWait) {
        if (now_us >= c.time_wait_until_us) {
            counters_.add(stats::Counter::tcp_connections_closed);
            release(c);
        } else {
            rearm(c);
        }
        return;
    }
    if (c.rto_deadline_us != 0 && now_us >= c.rto_deadline_us) {
        retransmit_timeout(c, now_us);
        if (c.state == State::kFree) return;
    }
    if (c.rack_deadline_us != 0 && now_us >= c.rack_deadline_us) {
        // RFC 8985 §6.2 step 5: no ACK came to show a segment's reordering window passing.
        counters_.add(stats::Counter::tcp_rack_reorder_timeouts);
        c.rack_deadline_us = 0;
        rack_detect_loss(c, now_us);
        output(c, now_us);
    }
    if (c.pto_deadline_us != 0 && now_us >= c.pto_deadline_us) {
        c.pto_deadline_us = 0;
        send_loss_probe(c, now_us);
    }
    if (now_us >= c.last_activity_us + config_.idle_timeout_us) {
        counters_.add(stats::Counter::tcp_connections_idle_closed);
        handler_.on_idle(*this, c);
        if (c.fin_sent || c.state == State::kCloseWait) {
            // Already closing, and idle all the same: a peer that never ACKs our FIN.
            Segment last;
            last.flow = c.flow;
            last.link = c.link;
            last.ack = c.snd_nxt;
            last.flags = kAck;
            send_reset_for(last);
            release(c);
            return;
        }
        close(c);
        c.last_activity_us = now_us; // one more idle period to finish the close
        output(c, now_us);
    }
    rearm(c);
}

void Engine::retransmit_timeout(Connection& c, uint64_t now_us) {
    counters_.add(stats::Counter::tcp_retransmission_timeouts);
    if (++c.retransmissions > config_.max_retransmissions) {
        counters_.add(stats::Counter::tcp_connections_aborted);
        // The RST a peer still listening would accept: at our SND.NXT.
        OutSegment out = segment_for(c, kRst | kAck, now_us);
        counters_.add(stats::Counter::tcp_resets_sent);
        counters_.add(stats::Counter::tcp_segments_sent);
        sink_.send(out);
        release(c);
        return;
    }
    c.rtt.back_off(); // RFC 6298 §5.5
    c.rto_deadline_us = now_us + c.rtt.rto_us();
    const Seq data_end = c.snd_una + c.tx.length();
    if (c.snd_wnd == 0 && c.snd_una < data_end) {
        // RFC 9293 §3.8.6.1: probe a zero window with one byte; its ACK reopens the window.
        counters_.add(stats::Counter::tcp_zero_window_probes);
        send_data(c, c.snd_una, 1, now_us, false);
        c.snd_nxt = seq_max(c.snd_nxt, c.snd_una + 1);
        c.snd_max = seq_max(c.snd_max, c.snd_nxt);
        return;
    }
    // RFC 5681 §3.1 (4): after a timeout, one segment and slow start from there.
    c.ssthresh = std::max(c.flight() / 2, 2u * c.mss);
    c.cwnd = c.mss;
    c.in_recovery = false;
    c.recovery_after_rto = false;
    c.dup_acks = 0;
    c.pto_deadline_us = 0;
    c.rack_deadline_us = 0;
    c.tlp_in_flight = false;
    c.recovery_undoable = false;
    if (c.sack && c.retransmissions == 1 && !c.fin_sent) {
        // RFC 8985 §6.3: every segment not SACKed is deemed lost and resent as slow start
        // allows, the scoreboard kept. RFC 2018 §8 only says SHOULD turn the SACKed bits off
        // (the peer may have reneged): a second timeout in a row does, below.
        counters_.add(stats::Counter::tcp_rto_scoreboard_kept);
        c.sent_log.mark_undelivered_lost();
        c.in_recovery = true;
        c.recovery_after_rto = true;
        c.recover = c.snd_max;
        retransmit_lost(c, now_us);
        return;
    }
    // Go-back-N: everything from SND.UNA is sent again. RFC 2018 §8: the SACKed bits turned off,
    // as the peer may have discarded what it SACKed.
    c.sacked.clear();
    for (uint32_t i = 0; i < c.sent_log.size(); ++i)
        c.sent_log.at(i).flags = TransmitRecord::kRetransmitted;
    const bool fin_was_sent = c.fin_sent;
    c.snd_nxt = c.snd_una;
    c.fin_sent = false;
    if (c.snd_una == data_end && fin_was_sent) {
        send_data(c, c.snd_una, 0, now_us, true); // the FIN alone
        c.snd_nxt = c.snd_una + 1;
        c.fin_sent = true;
    } else {
        const uint32_t length = std::min<uint32_t>(c.mss, c.tx.length());
        const bool fin_wanted = fin_was_sent && length == c.tx.length();
        const uint32_t sent = send_data(c, c.snd_una, length, now_us, fin_wanted);
        const bool fin = fin_wanted && sent == length;
        c.snd_nxt = c.snd_una + sent + (fin ? 1 : 0);
        c.fin_sent = fin; // otherwise still queued: output() sends it after the data again
    }
    counters_.add(stats::Counter::tcp_segments_retransmitted);
}

// With the table full, the connection longest in TIME-WAIT gives its slot to a new one, as
// Linux does past tcp_max_tw_buckets: TIME-WAIT only guards its own 4-tuple against stray old
// segments, and a PoP closing connections first must not stop taking new ones for 2 MSL.
bool Engine::recycle_time_wait() {
    while (time_wait_count_ != 0) {
        const uint32_t slot = time_wait_order_[time_wait_head_];
        time_wait_head_ = (time_wait_head_ + 1) % time_wait_order_.size();
        --time_wait_count_;
        Connection& c = connections_[slot];
        if (c.state != State::kTimeWait) continue; // left TIME-WAIT since (and maybe the slot too)
        counters_.add(stats::Counter::tcp_time_wait_recycled);
        release(c);
        return true;
    }
    return false;
}

void Engine::enter_time_wait(Connection& c, uint64_t now_us) {
    // Oldest first; when the queue is full its oldest entry is forgotten (that connection
    // still expires on its timer).
    if (time_wait_count_ == time_wait_order_.size()) {
        time_wait_head_ = (time_wait_head_ + 1) % time_wait_order_.size();
        --time_wait_count_;
    }
    time_wait_order_[(time_wait_head_ + time_wait_count_) % time_wait_order_.size()] = index_of(c);
    ++time_wait_count_;
    c.state = State::kTimeWait;
    c.time_wait_until_us = now_us + config_.time_wait_us;
    c.rto_deadline_us = 0;
    rearm(c);
}

} // namespace ringcast::tcp
