#include "dataplane/tcp/options.h"

#include <algorithm>

namespace ringcast::tcp {
namespace {

// RFC 9293 §3.2 and the IANA registry.
constexpr uint8_t kEndOfList = 0;
constexpr uint8_t kNop = 1;
constexpr uint8_t kMss = 2;
constexpr uint8_t kWindowScale = 3;
constexpr uint8_t kSackPermitted = 4;
constexpr uint8_t kSack = 5;
constexpr uint8_t kTimestamps = 8;

constexpr uint8_t kMssLength = 4;
constexpr uint8_t kWindowScaleLength = 3;
constexpr uint8_t kSackPermittedLength = 2;
constexpr uint8_t kTimestampsLength = 10;
constexpr uint8_t kSackBlockLength = 8; // two 32-bit edges (RFC 2018 §3)

uint16_t read16(const uint8_t* p) {
    return static_cast<uint16_t>(p[0] << 8 | p[1]);
}
uint32_t read32(const uint8_t* p) {
    return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}
void write16(uint8_t* p, uint16_t v) {
    p[0] = static_cast<uint8_t>(v >> 8);
    p[1] = static_cast<uint8_t>(v);
}
void write32(uint8_t* p, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        p[i] = static_cast<uint8_t>(v >> (24 - 8 * i));
}

} // namespace

bool parse_options(const uint8_t* data, size_t length, Options& out) {
    out = Options{};
    size_t i = 0;
    while (i < length) {
        const uint8_t kind = data[i];
        if (kind == kEndOfList) break;
        if (kind == kNop) {
            ++i;
            continue;
        }
        if (i + 1 >= length) return false;
        const uint8_t option_length = data[i + 1];
        if (option_length < 2 || i + option_length > length) return false;
        const uint8_t* value = data + i + 2;
        switch (kind) {
        case kMss:
            if (option_length != kMssLength) return false;
            out.has_mss = true;
            out.mss = read16(value);
            break;
        case kWindowScale:
            if (option_length != kWindowScaleLength) return false;
            out.has_window_scale = true;
            out.window_scale = std::min(value[0], kMaxWindowScale);
            break;
        case kSackPermitted:
            if (option_length != kSackPermittedLength) return false;
            out.sack_permitted = true;
            break;
        case kTimestamps:
            if (option_length != kTimestampsLength) return false;
            out.has_timestamps = true;
            out.ts_value = read32(value);
            out.ts_echo = read32(value + 4);
            break;
        case kSack: {
            const uint32_t blocks = (option_length - 2u) / kSackBlockLength;
            if ((option_length - 2u) % kSackBlockLength != 0 || blocks == 0 ||
                blocks > kMaxSackBlocks)
                return false;
            out.sack_block_count = blocks;
            for (uint32_t b = 0; b < blocks; ++b) {
                out.sack_left[b] = read32(value + b * kSackBlockLength);
                out.sack_right[b] = read32(value + b * kSackBlockLength + 4);
            }
            break;
        }
        default: // unknown options are skipped by their length (RFC 9293 §3.2)
            break;
        }
        i += option_length;
    }
    return true;
}

size_t write_timestamp_option(uint32_t ts_value, uint32_t ts_echo, uint8_t* out) {
    out[0] = kNop;
    out[1] = kNop;
    out[2] = kTimestamps;
    out[3] = kTimestampsLength;
    write32(out + 4, ts_value);
    write32(out + 8, ts_echo);
    return kTimestampOptionLength;
}

size_t write_syn_ack_options(const SynAckOptions& options, uint8_t* out) {
    size_t n = 0;
    out[n++] = kMss;
    out[n++] = kMssLength;
    write16(out + n, options.mss);
    n += 2;
    if (options.window_scale) {
        out[n++] = kNop;
        out[n++] = kWindowScale;
        out[n++] = kWindowScaleLength;
        out[n++] = options.our_window_scale;
    }
    if (options.sack_permitted) {
        out[n++] = kNop;
        out[n++] = kNop;
        out[n++] = kSackPermitted;
        out[n++] = kSackPermittedLength;
    }
    if (options.timestamps) n += write_timestamp_option(options.ts_value, options.ts_echo, out + n);
    return n;
}

} // namespace ringcast::tcp
