// config_fuzz: ringcastd's TOML configuration loader (controlplane/config) on text. Whatever the
// text, it loads or is refused with one message per problem, never throws; a loaded config has
// what ringcastd needs to start (a PoP name, ports, VIPs, zones) with every path absolute.
#include "controlplane/config/config.h"
#include "tests/fuzz/fuzz_support.h"

namespace rc = ringcast;

namespace {
constexpr size_t kMaxConfigText = 64 * 1024; // configs are a few hundred bytes
// Relative paths resolve against this directory; nothing is read from it.
constexpr char kConfigPath[] = "/nonexistent/ringcast-fuzz/ringcast.toml";
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > kMaxConfigText) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    rc::config::Config config;
    std::vector<std::string> errors;
    if (!rc::config::load_config_text(text, kConfigPath, config, errors)) {
        FUZZ_CHECK(!errors.empty());
        return 0;
    }
    FUZZ_CHECK(errors.empty());
    FUZZ_CHECK(!config.pop_name.empty());
    FUZZ_CHECK(!config.dataplane.ports.empty() && !config.dataplane.vips.empty());
    FUZZ_CHECK(!config.zones.empty());
    for (const auto& zone : config.zones)
        FUZZ_CHECK(!zone.file.empty() && zone.file.front() == '/' && !zone.origin.empty());
    FUZZ_CHECK(!config.runtime_dir.empty() && config.runtime_dir.front() == '/');
    FUZZ_CHECK(!config.admin.socket.empty() && config.admin.socket.front() == '/');
    return 0;
}
