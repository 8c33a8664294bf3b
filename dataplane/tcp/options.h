// TCP options a server must understand in a SYN and on every later segment (RFC 9293 §3.2,
// RFC 7323 for window scale and timestamps, RFC 2018 for SACK-permitted), and the writer of the
// options this server sends.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ringcast::tcp {

inline constexpr uint8_t kMaxWindowScale = 14;       // RFC 7323 §2.3
inline constexpr size_t kMaxOptionsLength = 40;      // data offset 15 words, minus the header
inline constexpr uint16_t kDefaultMss = 536;         // RFC 9293 §3.7.1: when no MSS is sent
inline constexpr size_t kTimestampOptionLength = 12; // NOP NOP + kind 8, length 10, two words
// RFC 2018 §3: a SACK option holds at most 4 blocks, 3 beside the timestamp option.
inline constexpr uint32_t kMaxSackBlocks = 4;

struct Options {
    bool has_mss = false;
    bool has_window_scale = false;
    bool sack_permitted = false;
    bool has_timestamps = false;
    uint16_t mss = 0;
    uint8_t window_scale = 0; // capped at kMaxWindowScale, as §2.3 says to on receipt
    uint32_t ts_value = 0;
    uint32_t ts_echo = 0;
    // RFC 2018 §3 SACK blocks: [left, right) edges as sent, not yet validated.
    uint32_t sack_block_count = 0;
    uint32_t sack_left[kMaxSackBlocks] = {};
    uint32_t sack_right[kMaxSackBlocks] = {};
};

// Parses `length` option bytes. False for a malformed list (an option running past the end, a
// length below 2, a known option with the wrong length): such a segment is dropped.
bool parse_options(const uint8_t* data, size_t length, Options& out);

// What this server puts on a SYN-ACK.
struct SynAckOptions {
    uint16_t mss = 0;
    bool window_scale = false; // send our shift (`our_window_scale`) only if the peer sent one
    uint8_t our_window_scale = 0;
    bool timestamps = false;
    uint32_t ts_value = 0;
    uint32_t ts_echo = 0;
    bool sack_permitted = false; // only with timestamps: the cookie keeps it in the TSval
};

// Writes the options, padded to a multiple of 4 bytes; returns their length (<= 24).
size_t write_syn_ack_options(const SynAckOptions& options, uint8_t* out);

// Writes the timestamp option of a synchronized segment (kTimestampOptionLength bytes).
size_t write_timestamp_option(uint32_t ts_value, uint32_t ts_echo, uint8_t* out);

} // namespace ringcast::tcp
