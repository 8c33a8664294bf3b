// Verification of a content snapshot image before the packet path may read it. Internal to the
// reader (and the fuzz target).
#pragma once

#include "dataplane/content/reader.h"

#include <cstdint>
#include <span>
#include <string>

namespace ringcast::content {

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
// Fuzz builds only (-Dfuzzing=true): the verifier fuzz target sets this, because a mutated image
// never matches its checksum and the structural checks behind it would go unfuzzed. The digest
// is still computed. Unit tests in the same build leave it false.
inline bool fuzzing_skip_checksum = false;
#endif

// Checks `bytes` (8-byte aligned) completely: header, checksum, section bounds, then every index,
// offset and length the lookups follow; reads nothing outside `bytes`, whatever they hold. On
// success fills `view` and returns true; otherwise returns false and sets `error` to one line
// saying what is wrong (without the file name).
bool verify_content(std::span<const uint8_t> bytes, View& view, std::string& error);

} // namespace ringcast::content
