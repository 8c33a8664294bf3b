// zone_text_fuzz: the zone compiler on master-file text (controlplane/zone: libzscanner reader,
// semantic checks, snapshot builder). Whatever the text, it is rejected with diagnostics or
// compiled; a compiled zone's snapshot passes the dataplane's own verifier (a snapshot the
// compiler writes and the dataplane refuses would stop every reload), and the answers it gives
// are frames the demo PoP's checks accept (frame_fuzz covers those; here only the verifier).
#include "controlplane/zone/zone_compiler.h"
#include "dataplane/snapshot/reader.h"
#include "tests/fuzz/fuzz_support.h"

#include <algorithm>
#include <string>

namespace rc = ringcast;

namespace {
// Larger texts only slow the fuzzer down: the reader's loops see everything by this size.
constexpr size_t kMaxZoneText = 64 * 1024;

// $INCLUDE would read whatever file the text names (a FIFO, /dev/zero): not the reader's input.
bool names_a_file(const std::string& text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    });
    return lower.find("include") != std::string::npos;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > kMaxZoneText) return 0;
    const std::string text(reinterpret_cast<const char*>(data), size);
    if (names_a_file(text)) return 0;

    rc::zone::ParsedZone zone;
    std::vector<rc::zone::Diagnostic> errors;
    const bool parsed =
        rc::zone::parse_zone_text({"example.net.", "fuzz.zone"}, text, zone, errors);
    if (!parsed) {
        FUZZ_CHECK(!errors.empty()); // a rejection always says why
        return 0;
    }
    if (!rc::zone::check_zone(zone, errors)) {
        FUZZ_CHECK(!errors.empty());
        return 0;
    }
    rc::zone::BuildOptions options;
    options.generation = 1;
    options.created_unix = 1;
    options.hash_seed = rc::fuzz::kHashSeed;
    std::vector<rc::zone::ParsedZone> zones;
    zones.push_back(std::move(zone));
    const std::vector<uint8_t> image = rc::zone::build_snapshot(zones, options);
    std::string error;
    auto snapshot = rc::snapshot::Snapshot::open_memory(image, error);
    if (!snapshot) {
        std::fprintf(stderr, "built snapshot refused: %s\n", error.c_str());
        rc::fuzz::fail("the compiler's snapshot verifies", __FILE__, __LINE__);
    }
    return 0;
}
