// Opening a snapshot (mmap or borrowed memory) and the name-index lookups of the packet path.
#include "dataplane/snapshot/reader.h"

#include "dataplane/snapshot/index_hash.h"
#include "dataplane/snapshot/verify.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ringcast::snapshot {

// ---- Lookups (packet path: no bounds checks, the verifier has done them) ----

uint32_t View::find_zone(const uint8_t* lower_name, size_t len) const {
    const uint64_t hash = index_hash(lower_name, len, zone_index_seed(header->hash_seed));
    const uint32_t tag = index_tag(hash);
    // Terminates: the verifier guarantees at least one empty slot.
    for (uint32_t slot = static_cast<uint32_t>(hash) & zone_index_mask;;
         slot = (slot + 1) & zone_index_mask) {
        const IndexSlot& s = zone_index[slot];
        if (s.target == kNone) return kNone;
        if (s.tag != tag) continue;
        const Zone& zone = zones[s.target];
        if (zone.origin_len == len && std::memcmp(origin_of(zone), lower_name, len) == 0)
            return s.target;
    }
}

uint32_t View::find_node(uint32_t zone, const uint8_t* lower_name, size_t len) const {
    const uint64_t hash = index_hash(lower_name, len, node_index_seed(header->hash_seed, zone));
    const uint32_t tag = index_tag(hash);
    for (uint32_t slot = static_cast<uint32_t>(hash) & node_index_mask;;
         slot = (slot + 1) & node_index_mask) {
        const NodeSlot& s = node_index[slot];
        if (s.node == kNone) return kNone;
        if (s.tag != tag) continue;
        // On a large zone the node, its name and its RRsets are three cache misses: start the
        // last two now so that all three overlap (format.h, NodeSlot). A hit's caller reads
        // the RRsets next.
        const uint8_t* name = names + s.name;
        __builtin_prefetch(name);
        __builtin_prefetch(rrsets + s.first_rrset);
        const Node& node = nodes[s.node];
        if (node.zone == zone && node.name_len == len && std::memcmp(name, lower_name, len) == 0)
            return s.node;
    }
}

const Rrset* View::find_rrset(const Node& node, uint16_t type) const {
    // A node has a handful of RRsets, sorted by type: a linear scan beats a binary search.
    const Rrset* rrset = rrsets + node.first_rrset;
    for (uint32_t i = 0; i < node.rrset_count; ++i, ++rrset) {
        if (rrset->type == type) return rrset;
        if (rrset->type > type) break;
    }
    return nullptr;
}

// ---- Opening ----

Snapshot::~Snapshot() {
    if (mapping_ != nullptr) munmap(const_cast<void*>(mapping_), mapping_size_);
}

std::unique_ptr<Snapshot> Snapshot::open_memory(std::span<const uint8_t> bytes,
                                                std::string& error) {
    std::unique_ptr<Snapshot> snapshot(new Snapshot());
    if (!verify_snapshot(bytes, snapshot->view_, error)) return nullptr;
    return snapshot;
}

std::unique_ptr<Snapshot> Snapshot::open_file(const std::string& path, std::string& error) {
    auto fail = [&](const std::string& why) {
        error = "snapshot " + path + ": " + why;
        return nullptr;
    };
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int saved = errno;
        ::close(fd);
        return fail(std::string("fstat: ") + std::strerror(saved));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return fail("not a regular file");
    }
    const size_t size = static_cast<size_t>(st.st_size);
    if (size < sizeof(Header)) {
        ::close(fd);
        return fail("truncated: file has " + std::to_string(size) + " bytes, a header needs " +
                    std::to_string(sizeof(Header)));
    }
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    const int saved = errno;
    ::close(fd); // the mapping keeps the file alive
    if (map == MAP_FAILED) return fail(std::string("mmap: ") + std::strerror(saved));

    std::unique_ptr<Snapshot> snapshot(new Snapshot());
    snapshot->mapping_ = map;
    snapshot->mapping_size_ = size;
    std::string why;
    if (!verify_snapshot({static_cast<const uint8_t*>(map), size}, snapshot->view_, why))
        return fail(why); // the destructor unmaps
    return snapshot;
}

} // namespace ringcast::snapshot
