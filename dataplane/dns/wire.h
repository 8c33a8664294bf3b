// Bounds-checked cursors over a message, with a sticky error (the Knot wire_ctx idea): after
// the first overrun every further read or write is a no-op returning zero, so a parser can read
// a run of fields and check ok() once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ringcast::dns {

inline uint16_t load_be16(const uint8_t* p) {
    return static_cast<uint16_t>(p[0] << 8 | p[1]);
}
inline uint32_t load_be32(const uint8_t* p) {
    return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}
inline void store_be16(uint8_t* p, uint16_t v) {
    p[0] = static_cast<uint8_t>(v >> 8);
    p[1] = static_cast<uint8_t>(v);
}
inline void store_be32(uint8_t* p, uint32_t v) {
    p[0] = static_cast<uint8_t>(v >> 24);
    p[1] = static_cast<uint8_t>(v >> 16);
    p[2] = static_cast<uint8_t>(v >> 8);
    p[3] = static_cast<uint8_t>(v);
}

class WireReader {
  public:
    WireReader(const uint8_t* data, size_t size, size_t position = 0)
        : data_(data), size_(size), pos_(position <= size ? position : size),
          error_(position > size) {}

    bool ok() const { return !error_; }
    size_t position() const { return pos_; }
    size_t remaining() const { return size_ - pos_; }
    const uint8_t* data() const { return data_; }
    const uint8_t* current() const { return data_ + pos_; }
    void fail() { error_ = true; }

    uint8_t peek_u8() {
        if (!need(1)) return 0;
        return data_[pos_];
    }
    uint8_t u8() {
        if (!need(1)) return 0;
        return data_[pos_++];
    }
    uint16_t u16() {
        if (!need(2)) return 0;
        const uint16_t v = load_be16(data_ + pos_);
        pos_ += 2;
        return v;
    }
    uint32_t u32() {
        if (!need(4)) return 0;
        const uint32_t v = load_be32(data_ + pos_);
        pos_ += 4;
        return v;
    }
    // Returns the next `n` bytes and moves past them, or nullptr (sticky error).
    const uint8_t* take(size_t n) {
        if (!need(n)) return nullptr;
        const uint8_t* p = data_ + pos_;
        pos_ += n;
        return p;
    }
    void skip(size_t n) { (void)take(n); }

  private:
    bool need(size_t n) {
        if (error_ || n > size_ - pos_) {
            error_ = true;
            return false;
        }
        return true;
    }

    const uint8_t* data_;
    size_t size_;
    size_t pos_;
    bool error_;
};

class WireWriter {
  public:
    WireWriter(uint8_t* data, size_t limit, size_t position)
        : data_(data), limit_(limit), pos_(position), error_(position > limit) {}

    bool ok() const { return !error_; }
    size_t position() const { return pos_; }
    size_t room() const { return error_ ? 0 : limit_ - pos_; }
    uint8_t* data() const { return data_; }
    // Returns to an earlier position and forgets an overrun after it.
    void rewind(size_t position) {
        pos_ = position;
        error_ = false;
    }

    void u8(uint8_t v) {
        if (need(1)) data_[pos_++] = v;
    }
    void u16(uint16_t v) {
        if (!need(2)) return;
        store_be16(data_ + pos_, v);
        pos_ += 2;
    }
    void u32(uint32_t v) {
        if (!need(4)) return;
        store_be32(data_ + pos_, v);
        pos_ += 4;
    }
    void bytes(const void* src, size_t n) {
        if (!need(n)) return;
        std::memcpy(data_ + pos_, src, n);
        pos_ += n;
    }
    // Returns the `n` bytes at the position for the caller to fill and moves past them, or
    // nullptr (sticky error): one bounds check for a run of fixed fields.
    uint8_t* claim(size_t n) {
        if (!need(n)) return nullptr;
        uint8_t* const p = data_ + pos_;
        pos_ += n;
        return p;
    }
    // Reserves `n` bytes to patch later; returns their position (meaningless after an error).
    size_t reserve(size_t n) {
        const size_t at = pos_;
        if (need(n)) pos_ += n;
        return at;
    }

  private:
    bool need(size_t n) {
        if (error_ || n > limit_ - pos_) {
            error_ = true;
            return false;
        }
        return true;
    }

    uint8_t* data_;
    size_t limit_;
    size_t pos_;
    bool error_;
};

} // namespace ringcast::dns
