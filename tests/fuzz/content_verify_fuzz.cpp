// content_verify_fuzz: the content snapshot verifier (dataplane/content/verify.h) on arbitrary
// bytes. It accepts or rejects with a message and never reads outside them; in an accepted image
// every host and route is looked up as the HTTP responder would, and every byte of every object
// it finds is read, so a reference the verifier let through that points outside is caught by
// ASan.
#include "dataplane/content/verify.h"
#include "tests/fuzz/fuzz_support.h"

#include <string_view>

namespace rc = ringcast;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    rc::content::fuzzing_skip_checksum = true; // past the checksum to the structure
#endif
    rc::fuzz::AlignedCopy image(data, size);
    rc::content::View view;
    std::string error;
    if (!rc::content::verify_content(image.bytes, view, error)) {
        FUZZ_CHECK(!error.empty());
        return 0;
    }
    const rc::content::Header& h = *view.header;
    uint64_t sink = 0;
    for (uint32_t r = 0; r < h.route_count; ++r) {
        const rc::content::Route& route = view.routes[r];
        const std::string_view path(view.strings + route.path.offset, route.path.length);
        const rc::content::Site& site = view.sites[route.site];
        // Every host of the route's site finds this very object by its path.
        for (uint32_t k = site.first_host; k < site.first_host + site.host_count; ++k) {
            const rc::content::Host& host = view.hosts[k];
            const std::string_view name(view.strings + host.name.offset, host.name.length);
            const auto object = view.find(name, path);
            FUZZ_CHECK(object.has_value());
            FUZZ_CHECK(object->variant_count >= 1 &&
                       object->variant_count <= rc::content::kMaxVariants);
            for (const auto& variant : object->all()) {
                for (std::byte b : variant.body)
                    sink += static_cast<uint8_t>(b);
                for (char c : variant.headers)
                    sink += static_cast<uint8_t>(c);
                for (char c : variant.etag)
                    sink += static_cast<uint8_t>(c);
            }
        }
    }
    // Unknown names miss rather than read anything.
    FUZZ_CHECK(!view.find("no-such-host.invalid", "/").has_value() || sink != ~uint64_t{0});
    return 0;
}
