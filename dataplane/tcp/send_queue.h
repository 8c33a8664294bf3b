// A connection's send stream from SND.UNA on: bytes copied into its ring buffer (headers, DNS
// answers) interleaved with references to memory that outlives the connection's use of it (the
// content snapshot's object bodies), which are sent from where they lie instead of being copied
// in. A segment is gathered from up to kMaxPayloadPieces pieces of the stream.
#pragma once

#include <cstdint>

namespace ringcast::tcp {

// Enough for a pipelined burst of small responses (each a header chunk and a body chunk); a
// writer that finds no free chunk waits for ACKs like one that finds no ring space.
inline constexpr uint32_t kMaxSendChunks = 8;
// A segment may span a body's tail, the next header (wrapped around the ring: two pieces) and
// the next body's head; a segment that would need more stops short of the MSS.
inline constexpr uint32_t kMaxPayloadPieces = 4;

struct PayloadPieces {
    const uint8_t* data[kMaxPayloadPieces] = {};
    uint32_t length[kMaxPayloadPieces] = {};
    uint32_t count = 0;
    uint32_t total = 0;
};

class SendQueue {
  public:
    // The ring is the connection's slice of the engine's buffer mapping.
    void attach(uint8_t* ring, uint32_t capacity) {
        ring_ = ring;
        capacity_ = capacity;
        clear();
    }
    void clear();

    uint32_t length() const { return length_; } // stream bytes not yet acknowledged
    // What append_copy() can take now.
    uint32_t copy_room() const;
    bool chunk_free() const { return chunk_count_ < kMaxSendChunks; }
    uint32_t free_chunks() const { return kMaxSendChunks - chunk_count_; }

    // Both return false, queuing nothing, when the bytes do not fit.
    bool append_copy(const uint8_t* data, uint32_t length);
    bool append_external(const uint8_t* data, uint32_t length);

    // The peer acknowledged `bytes` from the front.
    void drop_front(uint32_t bytes);
    // The pieces of the stream from `offset` (from SND.UNA), at most `max_length` bytes.
    PayloadPieces gather(uint32_t offset, uint32_t max_length) const;

  private:
    struct Chunk {
        const uint8_t* external = nullptr; // nullptr: the bytes are in the ring
        uint32_t length = 0;
    };
    const Chunk& chunk(uint32_t i) const { return chunks_[(chunk_head_ + i) % kMaxSendChunks]; }
    Chunk& back() { return chunks_[(chunk_head_ + chunk_count_ - 1) % kMaxSendChunks]; }

    uint8_t* ring_ = nullptr;
    uint32_t capacity_ = 0;
    uint32_t ring_head_ = 0; // the first unacknowledged ring byte
    uint32_t ring_length_ = 0;
    Chunk chunks_[kMaxSendChunks];
    uint32_t chunk_head_ = 0;
    uint32_t chunk_count_ = 0;
    uint32_t front_acked_ = 0; // bytes of the front chunk already acknowledged
    uint32_t length_ = 0;
};

} // namespace ringcast::tcp
