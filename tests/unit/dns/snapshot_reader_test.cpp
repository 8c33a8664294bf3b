// Snapshot::open_* and View lookups: a valid image opens and finds what it holds; every kind of
// damage is refused with a one-line reason.
#include "dataplane/snapshot/format.h"
#include "dataplane/snapshot/rdata_layout.h"
#include "dataplane/snapshot/reader.h"
#include "tests/unit/dns/dns_test_support.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <openssl/evp.h>
#include <unistd.h>

using namespace ringcast;
using namespace ringcast::snapshot;
using ringcast::dns::test::build_test_snapshot;
using ringcast::dns::test::test_zones;
using ringcast::dns::test::wire_name;

namespace {

Header& header_of(std::vector<uint8_t>& image) {
    return *reinterpret_cast<Header*>(image.data());
}

// After a deliberate change to the body: make the checksum right again, so the structural check
// (not the checksum) has to catch it.
void reseal(std::vector<uint8_t>& image) {
    Header& h = header_of(image);
    unsigned int len = 0;
    REQUIRE(EVP_Digest(image.data() + h.header_size, image.size() - h.header_size, h.checksum, &len,
                       EVP_sha256(), nullptr) == 1);
}

std::string refusal(const std::vector<uint8_t>& image) {
    std::string error;
    auto snap = Snapshot::open_memory(image, error);
    CHECK(snap == nullptr);
    return error;
}

template <typename T>
T* section_array(std::vector<uint8_t>& image, SectionId id) {
    return reinterpret_cast<T*>(image.data() + header_of(image).sections[id].offset);
}

uint8_t* data_of(std::vector<uint8_t>& image) {
    return section_array<uint8_t>(image, kSectionData);
}

// Node `n` in the order of kSectionNodeOffsets.
Node& node_at(std::vector<uint8_t>& image, uint32_t n) {
    return *reinterpret_cast<Node*>(data_of(image) +
                                    section_array<uint32_t>(image, kSectionNodeOffsets)[n]);
}

Rrset& rrset_at(std::vector<uint8_t>& image, uint32_t offset) {
    return *reinterpret_cast<Rrset*>(data_of(image) + offset);
}

// Every RRset of the image, node after node.
std::vector<Rrset*> all_rrsets(std::vector<uint8_t>& image) {
    std::vector<Rrset*> out;
    for (uint32_t n = 0; n < header_of(image).node_count; ++n) {
        Node& node = node_at(image, n);
        auto* table = reinterpret_cast<Rrset*>(reinterpret_cast<uint8_t*>(&node) +
                                               node_rrsets_offset(node.name_len));
        for (uint32_t r = 0; r < node.rrset_count; ++r)
            out.push_back(table + r);
    }
    return out;
}

std::string temp_path(const char* tag) {
    return "/tmp/ringcast-test-" + std::to_string(::getpid()) + "-" + tag + ".snap";
}

void write_file(const std::string& path, const uint8_t* data, size_t len) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(len));
}

} // namespace

TEST_CASE("a valid snapshot opens and its indexes find zones, nodes and RRsets") {
    const std::vector<uint8_t> image = build_test_snapshot(test_zones());
    std::string error;
    auto snap = Snapshot::open_memory(image, error);
    REQUIRE(snap != nullptr);
    CHECK(error.empty());
    const View& v = snap->view();
    CHECK(snap->header().zone_count == 2);

    const auto origin = wire_name("example.net.");
    const uint32_t zone = v.find_zone(origin.data(), origin.size());
    REQUIRE(zone != kNone);
    CHECK(v.zones[zone].negative_ttl == 300);
    CHECK(std::string(v.source_file_of(v.zones[zone])) == "test:example.net.");
    const auto deep = wire_name("deep.example.net.");
    CHECK(v.find_zone(deep.data(), deep.size()) != kNone);
    const auto nothere = wire_name("example.org.");
    CHECK(v.find_zone(nothere.data(), nothere.size()) == kNone);

    const auto www = wire_name("www.example.net.");
    const uint32_t node = v.find_node(zone, www.data(), www.size());
    REQUIRE(node != kNone);
    CHECK(v.find_rrset(v.node(node), 1) != nullptr);  // A
    CHECK(v.find_rrset(v.node(node), 28) != nullptr); // AAAA
    CHECK(v.find_rrset(v.node(node), 15) == nullptr); // MX
    const auto missing = wire_name("nothere.example.net.");
    CHECK(v.find_node(zone, missing.data(), missing.size()) == kNone);
    // The same name in another zone is another entry.
    CHECK(v.find_node(v.find_zone(deep.data(), deep.size()), www.data(), www.size()) == kNone);

    const auto ent = wire_name("b.ent.example.net.");
    const uint32_t ent_node = v.find_node(zone, ent.data(), ent.size());
    REQUIRE(ent_node != kNone);
    CHECK((v.node(ent_node).flags & kNodeEmptyNonTerminal) != 0);
}

TEST_CASE("zones are found by scan when few and through the index when many") {
    for (const int count : {1, 4, 5, 40}) {
        INFO(count << " zones");
        std::vector<ringcast::dns::test::ZoneText> zones;
        for (int i = 0; i < count; ++i) {
            const std::string origin = "z" + std::to_string(i) + ".example.";
            zones.push_back({origin, "$ORIGIN " + origin +
                                         "\n$TTL 60\n@ SOA ns.example. h.example. "
                                         "1 2 3 4 5\n@ NS ns.example.\n"});
        }
        const std::vector<uint8_t> image = build_test_snapshot(zones);
        std::string error;
        auto snap = Snapshot::open_memory(image, error);
        REQUIRE(snap != nullptr);
        const View& view = snap->view();
        for (int i = 0; i < count; ++i) {
            const auto origin = wire_name("z" + std::to_string(i) + ".example.");
            const uint32_t z = view.find_zone(origin.data(), origin.size());
            REQUIRE(z != kNone);
            CHECK(view.find_zone_in_index(origin.data(), origin.size()) == z);
            CHECK(std::memcmp(view.origin_of(view.zones[z]), origin.data(), origin.size()) == 0);
        }
        for (const char* other : {"example.", "z.example.", "zz0.example.", "a.z0.example."}) {
            const auto name = wire_name(other);
            CHECK(view.find_zone(name.data(), name.size()) == kNone);
            CHECK(view.find_zone_in_index(name.data(), name.size()) == kNone);
        }
    }
}

TEST_CASE("damaged snapshots are refused with the reason") {
    const std::vector<uint8_t> good = build_test_snapshot(test_zones());
    std::vector<uint8_t> image = good;

    SECTION("shorter than a header") {
        image.resize(100);
        CHECK(refusal(image) ==
              "truncated: file has 100 bytes, a header needs " + std::to_string(sizeof(Header)));
    }
    SECTION("truncated body") {
        image.resize(image.size() - 10);
        CHECK(refusal(image) == "truncated: header says " + std::to_string(good.size()) +
                                    " bytes, file has " + std::to_string(good.size() - 10));
    }
    SECTION("bad magic") {
        image[0] = 'X';
        CHECK(refusal(image).find("bad magic") == 0);
    }
    SECTION("other format version") {
        header_of(image).format_version = kFormatVersion + 1;
        CHECK(refusal(image) == "format version " + std::to_string(kFormatVersion + 1) +
                                    ", this dataplane reads " + std::to_string(kFormatVersion));
    }
    SECTION("foreign byte order") {
        header_of(image).byte_order = 0x04030201;
        CHECK(refusal(image).find("byte order") != std::string::npos);
    }
    SECTION("a flipped byte anywhere in the body") {
        for (size_t at : {size_t{300}, image.size() / 2, image.size() - 1}) {
            image = good;
            image[at] ^= 0x40;
            CHECK(refusal(image) == "checksum mismatch: file is corrupted");
        }
    }
    SECTION("zone index slots not a power of two") {
        header_of(image).zone_index_slots += 1;
        CHECK(refusal(image).find("not a power of two") != std::string::npos);
    }
    SECTION("node index without buckets") {
        header_of(image).node_index_buckets = 0;
        CHECK(refusal(image) == "node index has no buckets");
    }
    SECTION("node index without a free slot") {
        header_of(image).node_index_buckets = header_of(image).node_count / kNodeBucketSlots;
        CHECK(refusal(image).find("no free slot") != std::string::npos);
    }
    SECTION("misaligned section") {
        header_of(image).sections[kSectionData].offset += 8;
        CHECK(refusal(image).find("not 64-byte aligned") != std::string::npos);
    }
    SECTION("section outside the file") {
        header_of(image).sections[kSectionStrings].size = image.size();
        CHECK(refusal(image).find("outside the file") != std::string::npos);
    }
    SECTION("node parent that is no node") {
        node_at(image, 1).parent = 1000000;
        reseal(image);
        CHECK(refusal(image) == "node 1: parent 1000000 is no node");
    }
    SECTION("node block outside the data section") {
        section_array<uint32_t>(image, kSectionNodeOffsets)[2] = 0xfffff0;
        reseal(image);
        CHECK(refusal(image).find("node 2: block at") == 0);
    }
    SECTION("misaligned node block") {
        section_array<uint32_t>(image, kSectionNodeOffsets)[1] += 1;
        reseal(image);
        CHECK(refusal(image).find("node 1: block at") == 0);
    }
    SECTION("a node's RRset table running into the next block") {
        node_at(image, 0).rrset_count = 250;
        reseal(image);
        CHECK(refusal(image).find("node 1: block at") == 0);
    }
    SECTION("RRset count differs from the header's") {
        header_of(image).rrset_count += 1;
        reseal(image);
        CHECK(refusal(image).find("rrsets, header says") != std::string::npos);
    }
    SECTION("records running past the data section") {
        const uint64_t data_size = header_of(image).sections[kSectionData].size;
        all_rrsets(image)[0]->rdata = static_cast<uint32_t>(data_size - 1);
        reseal(image);
        CHECK(refusal(image) == "rrset 0: record 0 runs past the data section");
    }
    SECTION("zones' node ranges must cover every node") {
        Zone* zones = section_array<Zone>(image, kSectionZones);
        const uint32_t last = header_of(image).zone_count - 1;
        zones[last].node_count -= 1;
        reseal(image);
        CHECK(refusal(image).find("are not those of its nodes") != std::string::npos);
        zones[last].nodes_end = section_array<uint32_t>(
            image, kSectionNodeOffsets)[zones[last].first_node + zones[last].node_count];
        reseal(image);
        CHECK(refusal(image).find("belong to no zone") != std::string::npos);
        if (last > 0) {
            image = good;
            zones = section_array<Zone>(image, kSectionZones);
            zones[1].first_node += 1; // then zone 1 no longer starts where zone 0 ends
            reseal(image);
            CHECK(refusal(image).find("zone 1: nodes") == 0);
        }
    }
    SECTION("RDATA names of a compressible type are checked") {
        // The apex SOA's MNAME: make its first label run past the RDATA.
        const Zone& zone = section_array<Zone>(image, kSectionZones)[0];
        const uint32_t rdata = rrset_at(image, zone.soa_rrset).rdata;
        data_of(image)[rdata + 2] = 63;
        reseal(image);
        CHECK(refusal(image).find("rrset") == 0);
    }
    SECTION("additional target that is no node") {
        Rrset* with_additional = nullptr;
        for (Rrset* rrset : all_rrsets(image))
            if (rrset->additional != kNone) with_additional = rrset;
        REQUIRE(with_additional != nullptr);
        uint32_t bad = 999999; // the first node, after the list's count
        std::memcpy(data_of(image) + with_additional->additional + sizeof(AdditionalList), &bad,
                    sizeof bad);
        reseal(image);
        CHECK(refusal(image).find("additional node 999999 is no node") != std::string::npos);
    }
    SECTION("an additional list with no entries") {
        uint32_t list = kNone;
        for (Rrset* rrset : all_rrsets(image))
            if (rrset->additional != kNone) list = rrset->additional;
        REQUIRE(list != kNone);
        const uint32_t zero = 0;
        std::memcpy(data_of(image) + list, &zero, sizeof zero);
        reseal(image);
        CHECK(refusal(image).find("has 0 entries") != std::string::npos);
    }
    SECTION("zone SOA not the apex's") {
        section_array<Zone>(image, kSectionZones)[0].soa_rrset = 1000000;
        reseal(image);
        CHECK(refusal(image) == "zone 0: rrset at 1000000 is not the apex SOA");
    }
    SECTION("zone index target out of range") {
        IndexSlot* slots = section_array<IndexSlot>(image, kSectionZoneIndex);
        for (uint32_t i = 0; i < header_of(image).zone_index_slots; ++i)
            if (slots[i].target != kNone) slots[i].target = 77;
        reseal(image);
        CHECK(refusal(image).find("zone index slot") == 0);
    }
    const uint32_t node_slots = header_of(image).node_index_buckets * kNodeBucketSlots;
    SECTION("a node the index cannot find") {
        NodeSlot* slots = section_array<NodeSlot>(image, kSectionNodeIndex);
        for (uint32_t i = 0; i < node_slots; ++i)
            if (slots[i].node != kNone) slots[i].tag ^= 1;
        reseal(image);
        CHECK(refusal(image).find("not found through the node index") != std::string::npos);
    }
    SECTION("a node slot pointing inside a block") {
        NodeSlot* slots = section_array<NodeSlot>(image, kSectionNodeIndex);
        for (uint32_t i = 0; i < node_slots; ++i)
            if (slots[i].node != kNone) {
                slots[i].node += sizeof(Node);
                break;
            }
        reseal(image);
        CHECK(refusal(image).find("is no node") != std::string::npos);
    }
    SECTION("a node index without a free slot") {
        // A lookup of a missing name would never end (it stops at an empty slot).
        NodeSlot* slots = section_array<NodeSlot>(image, kSectionNodeIndex);
        const uint32_t a_node = section_array<uint32_t>(image, kSectionNodeOffsets)[0];
        for (uint32_t i = 0; i < node_slots; ++i)
            if (slots[i].node == kNone) slots[i] = NodeSlot{0x12345678, a_node};
        reseal(image);
        CHECK(refusal(image).find("node index has " + std::to_string(node_slots) +
                                  " filled slots") == 0);
    }
    SECTION("a zone index without a free slot") {
        IndexSlot* slots = section_array<IndexSlot>(image, kSectionZoneIndex);
        for (uint32_t i = 0; i < header_of(image).zone_index_slots; ++i)
            if (slots[i].target == kNone) slots[i] = IndexSlot{0x12345678, 0};
        reseal(image);
        CHECK(refusal(image).find("filled slots for") != std::string::npos);
    }
    SECTION("an apex flag below the apex") {
        // The zone-cut search stops climbing at the first apex flag.
        node_at(image, 1).flags |= kNodeApex;
        reseal(image);
        CHECK(refusal(image) == "node 1: apex flag and parent disagree");
    }
    SECTION("a bucket filled after an empty slot") {
        // Lookups stop at the first empty slot: a slot behind one would never be found.
        NodeSlot* slots = section_array<NodeSlot>(image, kSectionNodeIndex);
        bool moved = false;
        for (uint32_t i = 0; i < node_slots && !moved; i += kNodeBucketSlots)
            if (slots[i].node != kNone && slots[i + kNodeBucketSlots - 1].node == kNone) {
                std::swap(slots[i], slots[i + kNodeBucketSlots - 1]);
                moved = true;
            }
        REQUIRE(moved);
        reseal(image);
        CHECK(refusal(image).find("filled after an empty one") != std::string::npos);
    }
    SECTION("a wildcard child that is not the \"*\" node") {
        bool changed = false;
        for (uint32_t n = 0; n < header_of(image).node_count && !changed; ++n) {
            Node& node = node_at(image, n);
            if (!(node.flags & kNodeWildcardChild)) continue;
            auto* child = reinterpret_cast<uint32_t*>(reinterpret_cast<uint8_t*>(&node) +
                                                      node_wildcard_offset(node));
            *child = section_array<uint32_t>(image, kSectionNodeOffsets)[n]; // the node itself
            changed = true;
        }
        REQUIRE(changed);
        reseal(image);
        CHECK(refusal(image).find("wildcard flag set but no \"*\" child") != std::string::npos);
    }
    SECTION("a DNAME flag that disagrees with the node's RRsets") {
        // The responder redirects names below a flagged node with its one DNAME (RFC 6672).
        const bool set = GENERATE(true, false);
        bool changed = false;
        for (uint32_t n = 0; n < header_of(image).node_count && !changed; ++n) {
            Node& node = node_at(image, n);
            const bool has_dname = View::find_rrset(node, 39) != nullptr;
            if (has_dname == set) continue;
            node.flags ^= kNodeDname;
            changed = true;
        }
        REQUIRE(changed);
        reseal(image);
        CHECK(refusal(image).find("DNAME flag and DNAME rrset disagree") != std::string::npos);
    }
    SECTION("a below-cut flag its parent does not explain") {
        node_at(image, header_of(image).node_count - 1).flags ^= kNodeBelowCut;
        reseal(image);
        CHECK(refusal(image).find("below-cut flag disagrees") != std::string::npos);
    }
    SECTION("source file string not terminated") {
        const Header& h = header_of(image);
        const uint64_t size = h.sections[kSectionStrings].size;
        image[h.sections[kSectionStrings].offset + size - 1] = 'x';
        reseal(image);
        CHECK(refusal(image).find("NUL-terminated") != std::string::npos);
    }
}

TEST_CASE("open_file reads a snapshot into its own memory and names the file in errors") {
    const std::vector<uint8_t> image = build_test_snapshot(test_zones());
    const std::string path = temp_path("good");
    write_file(path, image.data(), image.size());
    std::string error;
    auto snap = Snapshot::open_file(path, error);
    REQUIRE(snap != nullptr);
    CHECK(snap->header().file_size == image.size());
    const auto origin = wire_name("example.net.");
    CHECK(snap->view().find_zone(origin.data(), origin.size()) != kNone);
    // A private copy: ringcastd rewriting or removing the file changes nothing being served.
    const std::vector<uint8_t> garbage(image.size(), 0x5a);
    write_file(path, garbage.data(), garbage.size());
    std::remove(path.c_str());
    CHECK(std::memcmp(&snap->header(), image.data(), sizeof(Header)) == 0);
    CHECK(snap->view().find_zone(origin.data(), origin.size()) != kNone);

    const std::string truncated = temp_path("truncated");
    const size_t half = image.size() / 2;
    write_file(truncated, image.data(), half);
    CHECK(Snapshot::open_file(truncated, error) == nullptr);
    CHECK(error == "snapshot " + truncated + ": truncated: header says " +
                       std::to_string(image.size()) + " bytes, file has " + std::to_string(half));
    write_file(truncated, image.data(), 100);
    CHECK(Snapshot::open_file(truncated, error) == nullptr);
    CHECK(error == "snapshot " + truncated + ": truncated: file has 100 bytes, a header needs " +
                       std::to_string(sizeof(Header)));
    std::remove(truncated.c_str());

    CHECK(Snapshot::open_file("/nonexistent/x.snap", error) == nullptr);
    CHECK(error == "snapshot /nonexistent/x.snap: No such file or directory");
}

TEST_CASE("rdata_fits_layout: the fixed bytes and the names exactly, nothing more") {
    const auto fits = [](const std::vector<uint8_t>& rdata, uint16_t type) {
        const std::vector<uint8_t> exact(rdata); // the bound is the end of the allocation
        return rdata_fits_layout(exact.data(), exact.size(), compressible_rdata_layout(type));
    };
    constexpr uint16_t kNs = 2, kSoa = 6, kMx = 15;
    std::vector<uint8_t> mx{0, 10};
    const auto exchange = wire_name("mail.example.net.");
    mx.insert(mx.end(), exchange.begin(), exchange.end());
    CHECK(fits(mx, kMx));
    CHECK_FALSE(fits({0}, kMx));     // shorter than the preference
    CHECK_FALSE(fits({0, 10}, kMx)); // no exchange
    mx.push_back(0);
    CHECK_FALSE(fits(mx, kMx)); // a byte after the name
    CHECK(fits(wire_name("ns.example.net."), kNs));
    CHECK_FALSE(fits({0xc0, 0x0c}, kNs)); // compressed
    CHECK_FALSE(fits({}, kNs));
    std::vector<uint8_t> soa = wire_name("ns.example.net.");
    const auto rname = wire_name("hostmaster.example.net.");
    soa.insert(soa.end(), rname.begin(), rname.end());
    soa.resize(soa.size() + 20);
    CHECK(fits(soa, kSoa));
    soa.pop_back();
    CHECK_FALSE(fits(soa, kSoa)); // MINIMUM cut short
}
