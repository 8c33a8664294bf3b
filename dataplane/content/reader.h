// Opening and verifying a content snapshot (format.h), and the read-only view the HTTP responder
// looks objects up in.
#pragma once

#include "dataplane/content/format.h"
#include "dataplane/content/object.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ringcast::snapshot {
class FileImage;
}

namespace ringcast::content {

// Pointers into a verified content snapshot; every index and offset in it has been checked, so
// lookups do no bounds checks of their own. A default-constructed View is an empty content set:
// it has no sites and every find() misses.
struct View {
    const Header* header = nullptr;
    const Site* sites = nullptr;
    const Host* hosts = nullptr;
    const IndexSlot* host_index = nullptr;
    const Route* routes = nullptr;
    const IndexSlot* route_index = nullptr;
    const Object* objects = nullptr;
    const Variant* variants = nullptr;
    const char* strings = nullptr;
    const std::byte* bodies = nullptr;
    uint32_t host_index_mask = 0;
    uint32_t route_index_mask = 0;

    // The object `path` names on the site serving `host`. `host` is the Host header's name
    // without a port, in any case (RFC 9110 §4.2.3: host names compare case-insensitively);
    // `path` the request target's path, percent-decoded (http/request_target.h), compared exactly.
    // No allocation; nullopt for an unknown host or path.
    std::optional<ObjectView> find(std::string_view host, std::string_view path) const;
    // The site `host` (any case, no port) belongs to, or kNone.
    uint32_t find_site(std::string_view host) const;
    // The object `path` names in `site` (from find_site), or kNone.
    uint32_t find_object(uint32_t site, std::string_view path) const;
    // An object (from find_object) as the HTTP responder sends it.
    ObjectView object_view(uint32_t object) const;

    uint32_t site_count() const { return header ? header->site_count : 0; }
    uint32_t object_count() const { return header ? header->object_count : 0; }
    uint64_t body_bytes() const { return header ? header->body_bytes : 0; }
    uint64_t generation() const { return header ? header->generation : 0; }

    std::string_view string(StringRef ref) const { return {strings + ref.offset, ref.length}; }
};

// A verified content snapshot: a private read-only copy of a file, borrowed memory, or nothing
// at all (empty(): a dataplane started without content).
class Snapshot {
  public:
    // Reads `path` into a huge-page-backed image and verifies it. On failure returns nullptr and
    // sets `error` to one line naming the file and saying why.
    static std::unique_ptr<Snapshot> open_file(const std::string& path, std::string& error);
    // Verifies `bytes`, which must outlive the Snapshot and be 8-byte aligned.
    static std::unique_ptr<Snapshot> open_memory(std::span<const uint8_t> bytes,
                                                 std::string& error);
    // No sites: every lookup misses.
    static std::unique_ptr<Snapshot> empty();

    ~Snapshot();
    Snapshot(const Snapshot&) = delete;
    Snapshot& operator=(const Snapshot&) = delete;

    const View& view() const { return view_; }

  private:
    Snapshot() = default;
    View view_;
    std::unique_ptr<snapshot::FileImage> image_; // set when opened from a file
};

} // namespace ringcast::content
