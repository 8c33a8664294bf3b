// Domain-name utilities on wire-form names (RFC 1035 §3.1): reading a query name with the
// protocol's limits, lowercase copies for lookups (comparisons are case-insensitive, RFC 4343),
// and suffix tests. "Trusted" names come from the verified snapshot or from a name this code has
// already parsed; they are uncompressed and well formed.
#pragma once

#include "dataplane/dns/protocol.h"
#include "dataplane/dns/wire.h"

#include <cstddef>
#include <cstdint>

namespace ringcast::dns {

// RFC 4343 §3: only ASCII letters fold; every other octet compares as is.
// Branch-free (one unsigned range test): it runs on every byte of every question name.
inline uint8_t ascii_lower(uint8_t c) {
    constexpr uint8_t kLetters = 'Z' - 'A' + 1;
    constexpr uint8_t kCaseBit = 'a' - 'A';
    return static_cast<uint8_t>(c | (static_cast<uint8_t>(c - 'A') < kLetters ? kCaseBit : 0));
}

struct NameInfo {
    uint8_t length = 0; // wire length, root label included
    uint8_t labels = 0; // label count, root excluded
};

enum class NameStatus : uint8_t {
    kOk,
    kTruncated,    // runs past the message
    kCompressed,   // a compression pointer where none may be (RFC 1035 §4.1.4)
    kBadLabelType, // 0x40/0x80 label types (RFC 6891 §5: obsolete extended labels)
    kLabelTooLong, // more than 63 bytes (RFC 1035 §2.3.4)
    kNameTooLong,  // more than 255 bytes (RFC 1035 §2.3.4)
};

// Reads the uncompressed question name at the reader's position, writing its lowercase form to
// `lower` (room for kMaxNameLength bytes). On kOk the reader is past the name.
NameStatus read_question_name(WireReader& reader, uint8_t* lower, NameInfo& info);

// Skips the owner name of a record in a query: labels ended by the root label or by one
// compression pointer (where it points is irrelevant when skipping). Returns false when the
// name is malformed or runs past the message; `is_root` tells whether it was the root name.
bool skip_record_name(WireReader& reader, bool& is_root);

// Length and label count of a trusted name.
NameInfo name_info(const uint8_t* name);
// Copies a trusted name in lowercase to `out` (room for kMaxNameLength bytes).
NameInfo copy_lowercase(const uint8_t* name, uint8_t* out);
// Whether a lowercase name lies at or below a lowercase `origin`, on label boundaries.
bool is_subdomain(const uint8_t* lower, NameInfo info, const uint8_t* origin, NameInfo origin_info);
// Whether two trusted names are equal, ignoring ASCII case (RFC 4343 §3).
bool names_equal(const uint8_t* a, const uint8_t* b);
// The name with its first label removed (the root stays the root).
inline const uint8_t* parent_name(const uint8_t* name) {
    return name[0] == 0 ? name : name + 1 + name[0];
}

} // namespace ringcast::dns
