#include "dataplane/http/accept_encoding.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace ringcast::http {
namespace {

using content::Encoding;

std::vector<content::VariantView> variants_of(std::initializer_list<Encoding> encodings) {
    std::vector<content::VariantView> v;
    for (Encoding e : encodings)
        v.push_back(content::VariantView{e, {}, {}, {}});
    return v;
}

const auto kAll = variants_of({Encoding::identity, Encoding::gzip, Encoding::br});
const auto kGzipOnly = variants_of({Encoding::identity, Encoding::gzip});
const auto kIdentityOnly = variants_of({Encoding::identity});

Encoding choose(std::string_view field, const std::vector<content::VariantView>& v) {
    const EncodingChoice c = choose_encoding(field, v);
    REQUIRE(c.variant < v.size());
    CHECK(v[c.variant].encoding == c.encoding);
    return c.encoding;
}

} // namespace

TEST_CASE("no Accept-Encoding, or an empty one, is identity", "[http][accept-encoding]") {
    CHECK(choose("", kAll) == Encoding::identity);
    CHECK(choose(" ", kAll) == Encoding::identity);
    CHECK(choose_encoding("", kAll).acceptable);
}

TEST_CASE("browsers' fields pick br, then gzip", "[http][accept-encoding]") {
    CHECK(choose("gzip, deflate, br", kAll) == Encoding::br);
    CHECK(choose("gzip, deflate, br, zstd", kAll) == Encoding::br);
    CHECK(choose("gzip, deflate, br", kGzipOnly) == Encoding::gzip);
    CHECK(choose("gzip, deflate, br", kIdentityOnly) == Encoding::identity);
    CHECK(choose("gzip", kAll) == Encoding::gzip);
    CHECK(choose("GZIP", kAll) == Encoding::gzip);
    CHECK(choose("x-gzip", kAll) == Encoding::gzip);
    CHECK(choose("deflate", kAll) == Encoding::identity);
    // The variant index points at the chosen variant.
    CHECK(choose_encoding("br", kAll).variant == 2);
}

TEST_CASE("qvalues (RFC 9110 §12.4.2, §12.5.3)", "[http][accept-encoding]") {
    CHECK(choose("br;q=0.5, gzip;q=0.8", kAll) == Encoding::gzip);
    CHECK(choose("br;q=0.8, gzip;q=0.8", kAll) == Encoding::br); // equal: br
    CHECK(choose("br ; q=0.001,gzip;Q=0", kAll) == Encoding::br);
    CHECK(choose("br;q=0, gzip;q=0", kAll) == Encoding::identity);
    CHECK(choose("identity;q=1, gzip;q=0.5", kAll) == Encoding::identity);
    CHECK(choose("identity;q=0.5, gzip;q=0.5", kAll) == Encoding::gzip);
    // An unlisted identity ranks below any listed coding.
    CHECK(choose("gzip;q=0.1", kAll) == Encoding::gzip);
    CHECK(choose("br;q=1.000, gzip", kAll) == Encoding::br);
    // Invalid qvalues make the element void, not the field.
    CHECK(choose("br;q=2, gzip", kAll) == Encoding::gzip);
    CHECK(choose("br;q=1.5, gzip", kAll) == Encoding::gzip);
    CHECK(choose("br;q=0.0001, gzip;q=0.5", kAll) == Encoding::gzip);
    CHECK(choose("br;q=, gzip;q=0.5", kAll) == Encoding::gzip);
    CHECK(choose("br;q=x", kAll) == Encoding::identity);
    // A repeated coding takes its lowest qvalue.
    CHECK(choose("br, br;q=0, gzip", kAll) == Encoding::gzip);
    CHECK(choose("gzip;q=0, gzip", kGzipOnly) == Encoding::identity);
}

TEST_CASE("* and exclusions", "[http][accept-encoding]") {
    CHECK(choose("*", kAll) == Encoding::br);
    CHECK(choose("*", kGzipOnly) == Encoding::gzip);
    CHECK(choose("gzip;q=1, *;q=0.5", kAll) == Encoding::gzip);
    CHECK(choose("br;q=0, *", kAll) == Encoding::gzip);
    CHECK(choose("*;q=0, identity", kAll) == Encoding::identity);

    // identity excluded, and nothing else on offer: identity, flagged not acceptable.
    EncodingChoice c = choose_encoding("identity;q=0", kIdentityOnly);
    CHECK(c.encoding == Encoding::identity);
    CHECK_FALSE(c.acceptable);
    c = choose_encoding("*;q=0", kAll);
    CHECK(c.encoding == Encoding::identity);
    CHECK_FALSE(c.acceptable);
    c = choose_encoding("identity;q=0, gzip", kAll);
    CHECK(c.encoding == Encoding::gzip);
    CHECK(c.acceptable);
    c = choose_encoding("identity;q=0, br", kGzipOnly);
    CHECK_FALSE(c.acceptable);
}

TEST_CASE("hostile Accept-Encoding fields", "[http][accept-encoding]") {
    CHECK(choose(",,,,", kAll) == Encoding::identity);
    CHECK(choose(";;;q=1", kAll) == Encoding::identity);
    CHECK(choose("br;;q=1", kAll) == Encoding::br);
    CHECK(choose("br;level=5;q=0.5, gzip;q=0.4", kAll) == Encoding::br);
    // Elements past kMaxAcceptEncodingElements are not read.
    std::string many;
    for (uint32_t i = 0; i < kMaxAcceptEncodingElements; ++i)
        many += "x, ";
    CHECK(choose(many + "br", kAll) == Encoding::identity);
}

} // namespace ringcast::http
