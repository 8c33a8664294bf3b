// snapshot_verify_fuzz: the zone snapshot verifier (dataplane/snapshot/verify.h) on arbitrary
// bytes. It accepts or rejects with a message and never reads outside them; an accepted image's
// view is walked as the packet path would (every zone's origin, every node's name and RRsets),
// so a reference the verifier let through that points outside the image is caught by ASan.
#include "dataplane/snapshot/verify.h"
#include "tests/fuzz/fuzz_support.h"

namespace rc = ringcast;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    rc::snapshot::fuzzing_skip_checksum = true; // past the checksum to the structure
#endif
    rc::fuzz::AlignedCopy image(data, size);
    rc::snapshot::View view;
    std::string error;
    if (!rc::snapshot::verify_snapshot(image.bytes, view, error)) {
        FUZZ_CHECK(!error.empty());
        return 0;
    }
    FUZZ_CHECK(error.empty());
    return 0;
}
