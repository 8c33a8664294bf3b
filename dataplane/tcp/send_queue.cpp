#include "dataplane/tcp/send_queue.h"

#include <algorithm>
#include <cstring>

namespace ringcast::tcp {

void SendQueue::clear() {
    ring_head_ = ring_length_ = 0;
    chunk_head_ = chunk_count_ = 0;
    front_acked_ = length_ = 0;
}

uint32_t SendQueue::copy_room() const {
    const bool extends_last = chunk_count_ != 0 && chunk(chunk_count_ - 1).external == nullptr;
    if (!extends_last && !chunk_free()) return 0;
    return capacity_ - ring_length_;
}

bool SendQueue::append_copy(const uint8_t* data, uint32_t length) {
    if (length == 0) return true;
    if (length > copy_room()) return false;
    const uint32_t tail = (ring_head_ + ring_length_) % capacity_;
    const uint32_t first = std::min(length, capacity_ - tail);
    std::memcpy(ring_ + tail, data, first);
    std::memcpy(ring_, data + first, length - first);
    ring_length_ += length;
    if (chunk_count_ != 0 && back().external == nullptr) {
        back().length += length;
    } else {
        ++chunk_count_;
        back() = Chunk{nullptr, length};
    }
    length_ += length;
    return true;
}

bool SendQueue::append_external(const uint8_t* data, uint32_t length) {
    if (length == 0) return true;
    if (!chunk_free()) return false;
    ++chunk_count_;
    back() = Chunk{data, length};
    length_ += length;
    return true;
}

void SendQueue::drop_front(uint32_t bytes) {
    bytes = std::min(bytes, length_);
    length_ -= bytes;
    while (bytes != 0) {
        Chunk& front = chunks_[chunk_head_];
        const uint32_t take = std::min(bytes, front.length - front_acked_);
        if (front.external == nullptr) {
            ring_head_ = (ring_head_ + take) % capacity_;
            ring_length_ -= take;
        }
        front_acked_ += take;
        bytes -= take;
        if (front_acked_ == front.length) {
            chunk_head_ = (chunk_head_ + 1) % kMaxSendChunks;
            --chunk_count_;
            front_acked_ = 0;
        }
    }
}

PayloadPieces SendQueue::gather(uint32_t offset, uint32_t max_length) const {
    PayloadPieces out;
    uint32_t ring_position = ring_head_; // where the current ring chunk's unacked bytes start
    uint32_t skip = offset + front_acked_;
    uint32_t want = std::min(max_length, length_ > offset ? length_ - offset : 0);
    for (uint32_t i = 0; i < chunk_count_ && want != 0; ++i) {
        const Chunk& c = chunk(i);
        const uint32_t unacked_start = i == 0 ? front_acked_ : 0;
        const uint32_t chunk_ring_bytes = c.length - unacked_start;
        if (skip >= c.length) {
            skip -= c.length;
            if (c.external == nullptr)
                ring_position = (ring_position + chunk_ring_bytes) % capacity_;
            continue;
        }
        uint32_t from = skip; // within the chunk
        skip = 0;
        while (from < c.length && want != 0) {
            if (out.count == kMaxPayloadPieces) return out;
            uint32_t piece = std::min(want, c.length - from);
            const uint8_t* data;
            if (c.external != nullptr) {
                data = c.external + from;
            } else {
                const uint32_t at = (ring_position + (from - unacked_start)) % capacity_;
                piece = std::min(piece, capacity_ - at); // the ring wraps: a second piece
                data = ring_ + at;
            }
            out.data[out.count] = data;
            out.length[out.count] = piece;
            ++out.count;
            out.total += piece;
            from += piece;
            want -= piece;
        }
        if (c.external == nullptr) ring_position = (ring_position + chunk_ring_bytes) % capacity_;
    }
    return out;
}

} // namespace ringcast::tcp
