// The wire-format name functions both planes share (dataplane/dns/wire_name.h), on well-formed
// and hostile names. Every hostile name sits in a buffer of exactly its bound, so a read past
// the bound is a heap overflow the sanitizer lane reports.
#include "dataplane/dns/wire_name.h"
#include "tests/unit/dns/dns_test_support.h"

#include <catch2/catch.hpp>
#include <vector>

using namespace ringcast::dns;
using ringcast::dns::test::wire_name;

namespace {

using Bytes = std::vector<uint8_t>;

// `count` labels of `size` bytes each ('a'), then the root label.
Bytes labels_of(size_t count, size_t size) {
    Bytes name;
    for (size_t i = 0; i < count; ++i) {
        name.push_back(static_cast<uint8_t>(size));
        name.insert(name.end(), size, 'a');
    }
    name.push_back(0);
    return name;
}

NameInfo measure(const Bytes& bytes, NameCase letters = NameCase::kAny) {
    // A copy of exactly the bytes: the bound is the end of the allocation.
    const Bytes exact(bytes);
    return measure_name(exact.data(), exact.size(), letters);
}

bool refused(const Bytes& bytes, NameCase letters = NameCase::kAny) {
    const NameInfo info = measure(bytes, letters);
    return info.length == 0 && info.labels == 0;
}

} // namespace

TEST_CASE("measure_name measures well-formed names") {
    NameInfo info = measure(wire_name("www.example.net."));
    CHECK(info.length == 17);
    CHECK(info.labels == 3);
    info = measure(Bytes{0});
    CHECK(info.length == 1);
    CHECK(info.labels == 0);
    // Bytes after the root label are not part of the name.
    Bytes followed = wire_name("example.net.");
    followed.push_back(0xff);
    info = measure(followed);
    CHECK(info.length == followed.size() - 1);
    CHECK(info.labels == 2);
    CHECK_FALSE(is_whole_name(followed.data(), followed.size()));
    CHECK(is_whole_name(followed.data(), followed.size() - 1));
    CHECK_FALSE(is_whole_name(followed.data(), 0));
}

TEST_CASE("measure_name refuses names that run past the bound or miss the root") {
    const Bytes name = wire_name("www.example.net.");
    for (size_t bound = 0; bound < name.size(); ++bound)
        CHECK(refused(Bytes(name.begin(), name.begin() + static_cast<ptrdiff_t>(bound))));
    CHECK(refused(Bytes{3, 'w', 'w', 'w'}));    // no root label
    CHECK(refused(Bytes{10, 'a'}));             // a label longer than what is left
    CHECK(refused(Bytes{3, 'w', 'w', 'w', 7})); // the next label starts at the bound
}

TEST_CASE("measure_name enforces the label and name limits (RFC 1035 §2.3.4)") {
    CHECK(measure(labels_of(1, kMaxLabelLength)).length == 1 + kMaxLabelLength + 1);
    CHECK(refused(labels_of(1, kMaxLabelLength + 1)));
    // Compression pointers and extended label types have length octets above 63.
    CHECK(refused(Bytes{0xc0, 0x0c}));
    CHECK(refused(Bytes{3, 'w', 'w', 'w', 0xc0, 0x0c}));
    CHECK(refused(Bytes{0x41, 0}));
    CHECK(refused(Bytes{0x80, 0}));

    // 127 one-byte labels and the root are 255 bytes; a 128th label is one pair too many.
    const Bytes most = labels_of(kMaxLabels, 1);
    REQUIRE(most.size() == kMaxNameLength);
    const NameInfo info = measure(most);
    CHECK(info.length == kMaxNameLength);
    CHECK(info.labels == kMaxLabels);
    CHECK(refused(labels_of(kMaxLabels + 1, 1)));
    // Four labels of 63 bytes are 257 bytes with the root; three and one of 61 are 255.
    CHECK(refused(labels_of(4, kMaxLabelLength)));
    Bytes longest = labels_of(3, kMaxLabelLength);
    longest.pop_back();
    longest.push_back(61);
    longest.insert(longest.end(), 61, 'b');
    longest.push_back(0);
    REQUIRE(longest.size() == kMaxNameLength);
    CHECK(measure(longest).length == kMaxNameLength);
    longest.insert(longest.end() - 1, 'b');
    ++longest[3 * (1 + kMaxLabelLength)];
    CHECK(refused(longest)); // 256 bytes
}

TEST_CASE("measure_name refuses upper case only where lowercase is required") {
    const Bytes mixed = wire_name("www.Example.net.");
    CHECK(measure(mixed).length == mixed.size());
    CHECK(refused(mixed, NameCase::kLowercase));
    CHECK(refused(wire_name("www.example.neT."), NameCase::kLowercase));
    CHECK(measure(wire_name("www.example.net."), NameCase::kLowercase).labels == 3);
    // Only A-Z are upper case: '@', '[' and Latin-1 letters pass (RFC 4343 §3).
    CHECK(measure(Bytes{3, '@', '[', 0xc1, 0}, NameCase::kLowercase).length == 5);
}

TEST_CASE("ascii_lower folds A-Z and nothing else") {
    for (unsigned c = 0; c < 256; ++c) {
        const auto byte = static_cast<uint8_t>(c);
        const bool upper = c >= 'A' && c <= 'Z';
        CHECK(is_ascii_upper(byte) == upper);
        CHECK(ascii_lower(byte) == (upper ? byte + ('a' - 'A') : byte));
    }
}

TEST_CASE("trusted names: info, lowercase copy, equality, suffixes, parent, wildcard") {
    const Bytes name = wire_name("WwW.ExAmPlE.NET.");
    const NameInfo info = name_info(name.data());
    CHECK(info.length == name.size());
    CHECK(info.labels == 3);
    Bytes lower(name.size());
    const NameInfo copied = copy_lowercase(name.data(), lower.data());
    CHECK(lower == wire_name("www.example.net."));
    CHECK(copied.length == info.length);
    CHECK(copied.labels == info.labels);
    CHECK(names_equal(name.data(), lower.data()));
    CHECK_FALSE(
        names_equal(wire_name("www.example.net.").data(), wire_name("ww.example.net.").data()));

    const Bytes origin = wire_name("example.net.");
    const NameInfo origin_info = name_info(origin.data());
    const auto below = [&](const char* text) {
        const Bytes n = wire_name(text);
        return is_subdomain(n.data(), name_info(n.data()), origin.data(), origin_info);
    };
    CHECK(below("example.net."));
    CHECK(below("a.b.example.net."));
    CHECK_FALSE(below("net."));
    CHECK_FALSE(below("example.org."));
    CHECK_FALSE(below("xexample.net.")); // the same bytes at the end, not on a label boundary
    const Bytes root{0};
    CHECK(is_subdomain(lower.data(), copied, root.data(), name_info(root.data())));

    CHECK(parent_name(lower.data()) == lower.data() + 4);
    CHECK(parent_name(root.data()) == root.data());
    CHECK(is_wildcard_name(wire_name("*.example.net.").data()));
    CHECK_FALSE(is_wildcard_name(wire_name("*a.example.net.").data()));
    CHECK_FALSE(is_wildcard_name(wire_name("a.*.example.net.").data()));
    CHECK_FALSE(is_wildcard_name(root.data()));
}
