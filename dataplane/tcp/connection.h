// One connection's state (RFC 9293 §3.3.1 TCB), in a slot of the engine's fixed table. Its
// buffers are slices of one allocation made when the engine starts.
#pragma once

#include "dataplane/tcp/flow.h"
#include "dataplane/tcp/rack.h"
#include "dataplane/tcp/rtt_estimator.h"
#include "dataplane/tcp/sack_scoreboard.h"
#include "dataplane/tcp/send_queue.h"
#include "dataplane/tcp/seq.h"
#include "dataplane/tcp/transmit_log.h"

#include <cstdint>

namespace ringcast::tcp {

// No LISTEN, SYN-SENT or SYN-RECEIVED: with SYN cookies a connection exists only once the
// handshake's last ACK has come back, and this server never opens connections.
enum class State : uint8_t {
    kFree,
    kEstablished,
    kCloseWait, // the peer has sent FIN; we may still send
    kFinWait1,  // we sent FIN, not yet acknowledged
    kFinWait2,  // our FIN acknowledged, the peer's not yet received
    kClosing,   // both FINs sent, ours not yet acknowledged
    kLastAck,   // the peer closed first, our FIN not yet acknowledged
    kTimeWait,  // we closed first: wait 2 MSL for stray segments (RFC 9293 §3.6.1)
};

struct Connection {
    FlowKey flow;
    Link link;
    State state = State::kFree;

    // Send side (RFC 9293 §3.3.1). snd_max: the highest sequence sent, for go-back-N after a
    // timeout rewinds snd_nxt.
    Seq iss;
    Seq snd_una;
    Seq snd_nxt;
    Seq snd_max;
    Seq snd_wl1;
    Seq snd_wl2;
    uint32_t snd_wnd = 0;     // scaled
    uint32_t max_snd_wnd = 0; // RFC 5961 §5.2's MAX.SND.WND
    uint8_t snd_wscale = 0;   // the peer's shift for its window
    uint16_t mss = 0;         // payload per segment we send

    // Receive side.
    Seq rcv_nxt;
    bool timestamps = false;
    uint32_t ts_recent = 0;

    // Congestion control (RFC 5681): when SACK was negotiated, losses found by RACK (RFC 8985)
    // on the scoreboard and the transmit log, repaired under RFC 6675's pipe, tail losses probed
    // by TLP; NewReno (RFC 6582) otherwise.
    uint32_t cwnd = 0;
    uint32_t ssthresh = 0;
    uint32_t dup_acks = 0;
    uint32_t bytes_acked = 0; // congestion avoidance's byte count toward the next SMSS
    bool in_recovery = false;
    bool recovery_after_rto = false; // RFC 8985 §6.3: slow start while repairing after a timeout
    Seq recover;
    bool sack = false; // SACK-permitted both ways (RFC 2018 §2)
    SackScoreboard sacked;
    TransmitLog sent_log; // SACK connections only
    Rack rack;
    uint64_t rack_deadline_us = 0; // RFC 8985 §6.2 step 5 reordering timer; 0: not armed
    // The last SACK recovery, to undo its cwnd reduction if all it resent proves spurious
    // (RFC 3708 detection by D-SACK or timestamps, RFC 4015 §3 response).
    bool recovery_undoable = false;
    uint32_t recovery_retransmits = 0;
    uint32_t recovery_spurious = 0;
    uint32_t cwnd_before_recovery = 0;
    uint32_t ssthresh_before_recovery = 0;
    Seq recovery_start; // SND.UNA when it began: duplicates reported below it are older
    // Tail loss probe (RFC 8985 §7).
    uint64_t pto_deadline_us = 0; // 0: not armed
    bool tlp_in_flight = false;
    bool tlp_is_retransmission = false;
    Seq tlp_end; // TLP.end_seq

    RttEstimator rtt;
    uint32_t retransmissions = 0; // consecutive timeouts without progress
    uint64_t rto_deadline_us = 0; // 0: not armed
    uint64_t last_activity_us = 0;
    uint64_t time_wait_until_us = 0;

    // Our FIN: queued by the application, sent once the send buffer has drained.
    bool fin_queued = false;
    bool fin_sent = false;
    bool peer_fin = false;
    bool ack_pending = false; // received data or FIN not yet acknowledged

    // Receive buffer: bytes in order not yet consumed by the application.
    uint8_t* rx = nullptr;
    uint32_t rx_length = 0;
    // Send stream: tx.length() bytes, the first at snd_una.
    SendQueue tx;

    uint64_t app_state = 0; // the application's per-connection word

    uint32_t flight() const { return static_cast<uint32_t>(snd_nxt - snd_una); }
};

} // namespace ringcast::tcp
