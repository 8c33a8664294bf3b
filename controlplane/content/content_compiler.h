// Content compilation: each [[site]]'s directory tree in, one content snapshot image
// (dataplane/content/format.h) out, every response header precomputed. Used by ringcastd (at
// start-up, on reload and for --check) and the tests; the image is written to disk with the
// zone snapshot's atomic writer (zone::write_snapshot_file).
#pragma once

#include "dataplane/content/format.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ringcast::content {

// One [[site]] table of the configuration.
struct SiteSource {
    std::vector<std::string> hosts; // lowercase host names, the first names the site
    std::string root;               // the directory served, an absolute path
    std::string cache_control;      // the Cache-Control value; empty: no such header

    bool operator==(const SiteSource&) const = default;
};

// The compiler's limits; the defaults are the format's (format.h). Tests lower them.
struct ContentLimits {
    uint64_t max_object_bytes = kMaxObjectBytes;
    uint32_t max_objects = kMaxObjects;
    size_t max_path_length = kMaxPathLength;
    uint64_t max_total_bytes = kMaxTotalBytes;
};

struct ContentOptions {
    uint64_t generation = 0;   // written as Header::generation
    uint64_t created_unix = 0; // 0: now
    uint64_t hash_seed = 0;    // 0: random
    ContentLimits limits;
};

struct SiteSummary {
    std::vector<std::string> hosts;
    std::string root;
    uint32_t objects = 0;
    uint32_t variants = 0;   // identity, gzip and br bodies
    uint64_t body_bytes = 0; // every variant's body
};

struct ContentResult {
    bool ok = false;
    std::vector<std::string> errors;   // each names the site and the file
    std::vector<std::string> warnings; // files left out (dotfiles, symlinks out of the root...)
    std::vector<SiteSummary> sites;
    uint32_t objects = 0;
    uint64_t body_bytes = 0;
    std::vector<uint8_t> image; // the complete content snapshot when ok
};

// Walks every site's root and builds the image. On any error `ok` is false, every error of every
// site is in `errors`, and no image is produced. No sites at all is an empty, valid image.
ContentResult compile_content(const std::vector<SiteSource>& sites, const ContentOptions& options);

} // namespace ringcast::content
