// Verification of a snapshot image before the packet path may read it. Internal to the reader.
#pragma once

#include "dataplane/snapshot/reader.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace ringcast::snapshot {

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
// Fuzz builds only (-Dfuzzing=true): the verifier fuzz target sets this, because a mutated image
// never matches its checksum and the structural checks behind it would go unfuzzed. The digest
// is still computed. Unit tests in the same build leave it false.
inline bool fuzzing_skip_checksum = false;
#endif

// Checks `bytes` (8-byte aligned) completely: header, checksum, section bounds, then every index
// and offset the packet path follows. On success fills `view` and returns true; otherwise
// returns false and sets `error` to one line saying what is wrong (without the file name).
bool verify_snapshot(std::span<const uint8_t> bytes, View& view, std::string& error);

} // namespace ringcast::snapshot
