// The content snapshot's layout (dataplane/content/format.h) from compiled objects: indexes,
// alignment, checksum.
#pragma once

#include "controlplane/content/content_compiler.h"
#include "dataplane/content/object.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ringcast::content {

struct CompiledVariant {
    Encoding encoding = Encoding::identity;
    std::vector<uint8_t> body;
    std::string headers;
    size_t etag_at = 0; // the quoted tag inside `headers`
    size_t etag_size = 0;
};

struct CompiledObject {
    std::vector<std::string> routes; // request paths naming it
    int64_t last_modified_unix = 0;
    std::vector<CompiledVariant> variants; // identity first
};

struct CompiledSite {
    std::vector<std::string> hosts;
    std::vector<CompiledObject> objects;
};

// The whole file. Counts must already be within the format's limits (compile_content checks).
std::vector<uint8_t> build_content_image(const std::vector<CompiledSite>& sites,
                                         const ContentOptions& options);

} // namespace ringcast::content
