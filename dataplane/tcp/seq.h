// TCP sequence numbers: 32-bit values compared modulo 2^32 (RFC 9293 §3.4). A distinct type so a
// sequence number is never compared with `<` on its raw value, which is wrong across the wrap.
#pragma once

#include <cstdint>

namespace ringcast::tcp {

class Seq {
  public:
    constexpr Seq() = default;
    constexpr explicit Seq(uint32_t value) : value_(value) {}
    constexpr uint32_t raw() const { return value_; }

    constexpr Seq operator+(uint32_t n) const { return Seq(value_ + n); }
    constexpr Seq operator-(uint32_t n) const { return Seq(value_ - n); }
    constexpr Seq& operator+=(uint32_t n) {
        value_ += n;
        return *this;
    }
    // The signed distance from `other` to this, valid while the two are < 2^31 apart.
    constexpr int32_t operator-(Seq other) const {
        return static_cast<int32_t>(value_ - other.value_);
    }
    constexpr bool operator==(const Seq&) const = default;
    constexpr bool operator<(Seq other) const { return *this - other < 0; }
    constexpr bool operator<=(Seq other) const { return *this - other <= 0; }
    constexpr bool operator>(Seq other) const { return *this - other > 0; }
    constexpr bool operator>=(Seq other) const { return *this - other >= 0; }

  private:
    uint32_t value_ = 0;
};

// RFC 9293 §3.10.7.4's window test on one sequence number: begin <= s < begin + size.
constexpr bool in_window(Seq s, Seq begin, uint32_t size) {
    return static_cast<uint32_t>(s - begin) < size;
}

constexpr Seq seq_max(Seq a, Seq b) {
    return a < b ? b : a;
}
constexpr Seq seq_min(Seq a, Seq b) {
    return a < b ? a : b;
}

} // namespace ringcast::tcp
