// Verification of a snapshot image before the packet path may read it. Internal to the reader.
#pragma once

#include "dataplane/snapshot/reader.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace ringcast::snapshot {

// Checks `bytes` (8-byte aligned) completely: header, checksum, section bounds, then every index
// and offset the packet path follows. On success fills `view` and returns true; otherwise
// returns false and sets `error` to one line saying what is wrong (without the file name).
bool verify_snapshot(std::span<const uint8_t> bytes, View& view, std::string& error);

} // namespace ringcast::snapshot
