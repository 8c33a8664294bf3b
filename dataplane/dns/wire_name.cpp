#include "dataplane/dns/wire_name.h"

#include <cstring>

namespace ringcast::dns {

NameInfo measure_name(const uint8_t* data, size_t bound, NameCase letters) {
    const size_t limit = bound < kMaxNameLength ? bound : kMaxNameLength;
    size_t pos = 0;
    uint8_t labels = 0;
    while (pos < limit) {
        const uint8_t label = data[pos];
        if (label == 0) return NameInfo{static_cast<uint8_t>(pos + 1), labels};
        if (label > kMaxLabelLength) return NameInfo{};
        // The label and at least the root label after it must fit: checked before reading the
        // label's bytes, so none past the bound is read.
        if (1u + label >= limit - pos) return NameInfo{};
        if (letters == NameCase::kLowercase) {
            for (size_t i = pos + 1; i <= pos + label; ++i)
                if (is_ascii_upper(data[i])) return NameInfo{};
        }
        pos += 1u + label;
        ++labels;
    }
    return NameInfo{};
}

NameInfo name_info(const uint8_t* name) {
    NameInfo info;
    size_t pos = 0;
    while (name[pos] != 0) {
        pos += 1 + name[pos];
        ++info.labels;
    }
    info.length = static_cast<uint8_t>(pos + 1);
    return info;
}

NameInfo copy_lowercase(const uint8_t* name, uint8_t* out) {
    NameInfo info;
    size_t pos = 0;
    while (name[pos] != 0) {
        const uint8_t label = name[pos];
        out[pos] = label;
        for (size_t i = 1; i <= label; ++i)
            out[pos + i] = ascii_lower(name[pos + i]);
        pos += 1 + label;
        ++info.labels;
    }
    out[pos] = 0;
    info.length = static_cast<uint8_t>(pos + 1);
    return info;
}

bool names_equal(const uint8_t* a, const uint8_t* b) {
    // Label lengths are compared as bytes too, so the walk stays on label boundaries.
    size_t pos = 0;
    while (a[pos] == b[pos]) {
        const uint8_t label = a[pos];
        if (label == 0) return true;
        for (size_t i = 1; i <= label; ++i)
            if (ascii_lower(a[pos + i]) != ascii_lower(b[pos + i])) return false;
        pos += 1 + label;
    }
    return false;
}

bool is_subdomain(const uint8_t* lower, NameInfo info, const uint8_t* origin,
                  NameInfo origin_info) {
    if (info.labels < origin_info.labels) return false;
    const uint8_t* suffix = lower;
    for (unsigned i = info.labels - origin_info.labels; i > 0; --i)
        suffix = parent_name(suffix);
    const size_t suffix_len = info.length - static_cast<size_t>(suffix - lower);
    return suffix_len == origin_info.length && std::memcmp(suffix, origin, suffix_len) == 0;
}

} // namespace ringcast::dns
