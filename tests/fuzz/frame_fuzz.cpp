// frame_fuzz: the dataplane's whole per-frame path (net::handle_frame) on the demo PoP. One frame
// in, zero or one frame out; a reply is parsed back independently (fuzz_support.h) and any
// malformed one aborts.
//
// Input: one control byte, then the frame as received. Control bits: what the port claims it
// found wrong (bad IP / bad L4 checksum), whether partial checksums are accepted (a veth port),
// whether a BurstPrefetcher reads the frame ahead, as the runtime does for every burst, and
// whether the port has an exception TAP (frames not for a VIP go to the kernel untouched).
#include "dataplane/net/burst_prefetch.h"
#include "tests/fuzz/fuzz_support.h"

#include <optional>

namespace rc = ringcast;

namespace {
constexpr uint8_t kRxIpBad = 0x01;
constexpr uint8_t kRxL4Bad = 0x02;
constexpr uint8_t kAcceptPartial = 0x04;
constexpr uint8_t kReadAhead = 0x08;
constexpr uint8_t kExceptionPath = 0x10;
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    rc::fuzz::Pop& pop = rc::fuzz::pop();
    if (size < 1 || size - 1 > rc::fuzz::kFrameCapacity) return 0;
    const uint8_t control = data[0];
    const uint8_t* in = data + 1;
    const uint32_t len = static_cast<uint32_t>(size - 1);

    // The frame in a buffer of exactly the mbuf's data room: the pipeline may write up to it.
    std::unique_ptr<uint8_t[]> buffer(new uint8_t[rc::fuzz::kFrameCapacity]);
    std::memset(buffer.get(), 0xee, rc::fuzz::kFrameCapacity);
    std::memcpy(buffer.get(), in, len);

    pop.config.accept_partial_checksums = (control & kAcceptPartial) != 0;
    pop.config.exception_path = (control & kExceptionPath) != 0;
    rc::stats::LcoreCounters counters;
    rc::net::Frame frame;
    frame.data = buffer.get();
    frame.len = len;
    frame.capacity = rc::fuzz::kFrameCapacity;
    frame.rx_checksum.ip_bad = (control & kRxIpBad) != 0;
    frame.rx_checksum.l4_bad = (control & kRxL4Bad) != 0;
    std::optional<rc::net::BurstPrefetcher> prefetcher;
    if (control & kReadAhead) {
        prefetcher.emplace(pop.snapshot->view(), 0);
        prefetcher->add(frame.data, frame.len);
        prefetcher->follow();
        frame.lookahead = prefetcher->lookahead(0);
    }
    rc::net::TxOffloadRequest tx;
    const rc::net::Verdict verdict =
        rc::net::handle_frame(pop.config, pop.snapshot->view(), counters, frame, tx);

    uint64_t drops = 0;
    for (uint64_t d : counters.drop)
        drops += d;
    switch (verdict) {
    case rc::net::Verdict::kTransmit:
        FUZZ_CHECK(drops == 0);
        rc::fuzz::check_reply(in, len, frame.data, frame.len, tx);
        break;
    case rc::net::Verdict::kDrop:
        FUZZ_CHECK(drops == 1); // exactly one reason counted (pipeline.h)
        break;
    case rc::net::Verdict::kToKernel:
        FUZZ_CHECK(pop.config.exception_path);
        FUZZ_CHECK(drops == 0);
        FUZZ_CHECK(frame.len == len && std::memcmp(frame.data, in, len) == 0); // untouched
        break;
    case rc::net::Verdict::kConsumed:
        rc::fuzz::fail("no TCP engine, so nothing is consumed", __FILE__, __LINE__);
    }
    return 0;
}
