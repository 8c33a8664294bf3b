// Replaces a file so that readers see the old content or the new, never a mix: a temporary file
// beside it, fsync, rename over the target, fsync of the directory (the rename survives a crash).
#pragma once

#include <string>

namespace ringcast::bgp {

bool write_file_atomically(const std::string& path, const std::string& content, std::string& error);

// The whole file, or false (a missing file is `missing` = true and not an error).
bool read_whole_file(const std::string& path, std::string& out, bool& missing, std::string& error);

} // namespace ringcast::bgp
