// The content verifier on damaged images: every single byte changed, every truncation, and
// structural damage under a checksum recomputed to match (a compiler bug, not corruption).
#include "content_test_util.h"
#include "controlplane/content/content_compiler.h"
#include "dataplane/content/reader.h"
#include "dataplane/content/verify.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <openssl/evp.h>

using namespace ringcast;
using content::test::TempTree;

namespace {

// A small image with every kind of entry: two sites, a directory index, three variants.
std::vector<uint8_t> small_image() {
    TempTree t;
    t.write("a/index.html", "<p>a</p>\n");
    t.write("a/s.css", "p{}\n");
    t.write("a/s.css.gz", "\x1f\x8b-gz");
    t.write("a/s.css.br", "br");
    t.write("a/d/index.html", "d\n");
    t.write("b/x.txt", "x\n");
    const auto result = content::compile_content(
        {{{"a.example.net", "a.example.org"}, (t.dir / "a").string(), "max-age=60"},
         {{"b.example.net"}, (t.dir / "b").string(), ""}},
        {});
    REQUIRE(result.ok);
    return result.image;
}

bool verifies(const std::vector<uint8_t>& image, std::string& error) {
    // A copy the exact size of the image: a read past its end is the sanitizer's to catch.
    const std::vector<uint8_t> copy(image);
    content::View view;
    return content::verify_content(copy, view, error);
}

// After a deliberate structural change, a checksum that matches again.
void reseal(std::vector<uint8_t>& image) {
    constexpr size_t kAt = offsetof(content::Header, checksum);
    std::memset(image.data() + kAt, 0, content::kChecksumSize);
    uint8_t digest[content::kChecksumSize];
    unsigned int len = 0;
    REQUIRE(EVP_Digest(image.data(), image.size(), digest, &len, EVP_sha256(), nullptr) == 1);
    std::memcpy(image.data() + kAt, digest, sizeof digest);
}

content::Header& header_of(std::vector<uint8_t>& image) {
    return *reinterpret_cast<content::Header*>(image.data());
}

} // namespace

TEST_CASE("content verify: the compiled image verifies") {
    const auto image = small_image();
    std::string error;
    CHECK(verifies(image, error));
    CHECK(error.empty());
}

TEST_CASE("content verify: every single corrupted byte is refused") {
    const auto image = small_image();
    REQUIRE(image.size() < 16384);
    for (size_t i = 0; i < image.size(); ++i) {
        for (const uint8_t flip : {uint8_t{0x01}, uint8_t{0x80}}) {
            auto damaged = image;
            damaged[i] ^= flip;
            std::string error;
            INFO("byte " << i << " ^ " << int(flip));
            REQUIRE_FALSE(verifies(damaged, error));
            REQUIRE_FALSE(error.empty());
        }
    }
}

TEST_CASE("content verify: every truncation is refused") {
    const auto image = small_image();
    for (size_t size = 0; size < image.size(); ++size) {
        std::vector<uint8_t> cut(image.begin(), image.begin() + static_cast<ptrdiff_t>(size));
        std::string error;
        INFO("size " << size);
        REQUIRE_FALSE(verifies(cut, error));
    }
    auto longer = image;
    longer.push_back(0);
    std::string error;
    CHECK_FALSE(verifies(longer, error));
    CHECK(error.find("size mismatch") == 0);
}

TEST_CASE("content verify: structural damage under a matching checksum") {
    using content::Header;
    struct Case {
        const char* what;
        void (*damage)(std::vector<uint8_t>&);
        const char* expect;
    };
    const Case cases[] = {
        {"a variant's body past the bodies",
         [](std::vector<uint8_t>& im) {
             Header& h = header_of(im);
             auto* v = reinterpret_cast<content::Variant*>(
                 im.data() + h.sections[content::kSectionVariants].offset);
             v[0].body_size = h.sections[content::kSectionBodies].size + 1;
         },
         "variant 0: body"},
        {"a misaligned body",
         [](std::vector<uint8_t>& im) {
             Header& h = header_of(im);
             auto* v = reinterpret_cast<content::Variant*>(
                 im.data() + h.sections[content::kSectionVariants].offset);
             v[1].body += 1;
         },
         "variant 1: body"},
        {"a route to another site's object",
         [](std::vector<uint8_t>& im) {
             Header& h = header_of(im);
             auto* r = reinterpret_cast<content::Route*>(
                 im.data() + h.sections[content::kSectionRoutes].offset);
             r[0].object = h.object_count - 1;
         },
         "route 0: object"},
        {"a host name past the strings",
         [](std::vector<uint8_t>& im) {
             Header& h = header_of(im);
             auto* host = reinterpret_cast<content::Host*>(
                 im.data() + h.sections[content::kSectionHosts].offset);
             host[0].name.offset = static_cast<uint32_t>(h.sections[content::kSectionStrings].size);
         },
         "host 0: name out of bounds"},
        {"a full host index", [](std::vector<uint8_t>& im) { header_of(im).host_index_slots = 2; },
         "host index has 2 slots"},
        {"an index slot emptied",
         [](std::vector<uint8_t>& im) {
             Header& h = header_of(im);
             auto* slots = reinterpret_cast<content::IndexSlot*>(
                 im.data() + h.sections[content::kSectionRouteIndex].offset);
             for (uint32_t i = 0; i < h.route_index_slots; ++i)
                 if (slots[i].target != content::kNone) {
                     slots[i].target = content::kNone;
                     break;
                 }
         },
         "is not in the index"},
        {"gzip as the first variant",
         [](std::vector<uint8_t>& im) {
             Header& h = header_of(im);
             auto* v = reinterpret_cast<content::Variant*>(
                 im.data() + h.sections[content::kSectionVariants].offset);
             v[0].encoding = uint8_t(content::Encoding::gzip);
         },
         "object 0: variant 0 has encoding 1"},
        {"a section out of the file",
         [](std::vector<uint8_t>& im) {
             header_of(im).sections[content::kSectionBodies].offset = im.size() + 64;
         },
         "section bodies"},
    };
    const auto image = small_image();
    for (const Case& c : cases) {
        INFO(c.what);
        auto damaged = image;
        c.damage(damaged);
        reseal(damaged);
        std::string error;
        REQUIRE_FALSE(verifies(damaged, error));
        CHECK(error.find(c.expect) != std::string::npos);
    }
}

TEST_CASE("content verify: arbitrary bytes, a foreign magic, a zone snapshot") {
    std::string error;
    CHECK_FALSE(verifies({}, error));
    CHECK(error.find("truncated") == 0);
    std::vector<uint8_t> zeros(4096, 0);
    CHECK_FALSE(verifies(zeros, error));
    CHECK(error == "bad magic: not a ringcast content snapshot");
    auto image = small_image();
    header_of(image).format_version = 99;
    CHECK_FALSE(verifies(image, error));
    CHECK(error == "format version 99, this dataplane reads 1");
}

TEST_CASE("content verify: open_file names the file") {
    TempTree t;
    std::string error;
    CHECK_FALSE(content::Snapshot::open_file((t.dir / "none.bin").string(), error));
    CHECK(error.find("content " + (t.dir / "none.bin").string() + ": ") == 0);
    const auto image = small_image();
    const auto path = t.write("content-1.bin", std::string(image.begin(), image.end()));
    auto snapshot = content::Snapshot::open_file(path.string(), error);
    REQUIRE(snapshot);
    CHECK(snapshot->view().find("A.example.ORG", "/s.css")->variant_count == 3);
}
