// The zone compiler's side of wire-format names (RFC 1035 §3.1): presentation form in and out,
// and span views. Measuring, case folding and suffix tests are dataplane/dns/wire_name.h, shared
// with the dataplane. Names here are uncompressed and well formed, as libzscanner and
// from_presentation() produce them.
#pragma once

#include "dataplane/dns/limits.h"
#include "dataplane/dns/wire_name.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ringcast::zone::dname {

using dns::kMaxLabelLength;
using dns::kMaxNameLength;

using Name = std::span<const uint8_t>;

// The name with its first label removed, as a view: dns::parent_name on a span. `name` must not
// be the root.
inline Name parent(Name name) {
    return name.subspan(static_cast<size_t>(dns::parent_name(name.data()) - name.data()));
}

// Absolute presentation form ("www.example.net."), characters outside letters, digits, '-', '_'
// and '*' escaped as in RFC 1035 §5.1 (\. \\ for specials, \DDD for the rest). Case preserved.
std::string to_presentation(Name name);

// Parses an absolute or relative presentation name; a missing final dot is added, so the result is
// always absolute. Handles \X and \DDD escapes. Returns false and sets `error` when malformed.
bool from_presentation(std::string_view text, std::vector<uint8_t>& out, std::string& error);

} // namespace ringcast::zone::dname
