// Content-Type by file extension: one table of the common web types.
#pragma once

#include <string_view>

namespace ringcast::content {

inline constexpr std::string_view kDefaultMediaType = "application/octet-stream";

// The Content-Type value for a file name (its extension, any case): text types carry
// "; charset=utf-8"; an unknown extension gets kDefaultMediaType.
std::string_view media_type_for(std::string_view file_name);

} // namespace ringcast::content
