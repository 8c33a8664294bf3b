// Reload without the daemon: compile_reload() over real files, reload-zone over a kept set, the
// undo a refused snapshot needs, and a broken zone that leaves the served set as it was.
#include "controlplane/ringcastd/zone_set.h"
#include "dataplane/snapshot/format.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>

using namespace ringcast;
namespace fs = std::filesystem;

namespace {

std::string zone_text(const std::string& origin, uint32_t serial, const std::string& extra = "") {
    return fmt::format("$ORIGIN {}\n$TTL 300\n@ SOA ns1 hostmaster {} 3600 600 86400 300\n"
                       "@ NS ns1\nns1 A 203.0.113.1\nwww A 203.0.113.80\n{}",
                       origin, serial, extra);
}

struct Dir {
    fs::path path;
    Dir() {
        char pattern[] = "/tmp/ringcast-reload-test.XXXXXX";
        path = mkdtemp(pattern);
    }
    ~Dir() { fs::remove_all(path); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name) << text;
        return (path / name).string();
    }
};

daemon::ReloadOutcome compile(std::vector<zone::ZoneSource> sources, daemon::ZoneSet base,
                              std::optional<size_t> only, uint64_t generation, const Dir& dir) {
    daemon::ReloadJob job;
    job.sources = std::move(sources);
    job.base = std::move(base);
    job.only = only;
    job.generation = generation;
    job.snapshot_path = (dir.path / fmt::format("snapshot-{}.bin", generation)).string();
    std::vector<std::string> progress;
    auto out = daemon::compile_reload(std::move(job),
                                      [&](const std::string& m) { progress.push_back(m); });
    CHECK_FALSE(progress.empty());
    return out;
}

} // namespace

TEST_CASE("reload: all zones, then one zone, then a refused snapshot undone") {
    Dir dir;
    const std::vector<zone::ZoneSource> sources = {
        {"example.net.", dir.write("net.zone", zone_text("example.net.", 1))},
        {"example.org.", dir.write("org.zone", zone_text("example.org.", 10))}};

    auto first = compile(sources, {}, std::nullopt, 100, dir);
    REQUIRE(first.ok);
    REQUIRE(first.zones.size() == 2);
    CHECK(first.zones.info[1].summary.serial == 10);
    CHECK(fs::file_size(first.snapshot_path) == first.snapshot_bytes);
    std::ifstream file(first.snapshot_path, std::ios::binary);
    snapshot::Header header{};
    file.read(reinterpret_cast<char*>(&header), sizeof(header));
    CHECK(header.generation == 100);

    dir.write("org.zone", zone_text("example.org.", 11));
    dir.write("net.zone", zone_text("example.net.", 2)); // changed on disk, not reloaded
    const auto index = first.zones.find("EXAMPLE.ORG");
    REQUIRE(index == size_t{1});
    auto second = compile(sources, std::move(first.zones), index, 101, dir);
    REQUIRE(second.ok);
    CHECK(second.zones.info[0].summary.serial == 1); // kept as loaded
    CHECK(second.zones.info[1].summary.serial == 11);
    CHECK(second.replaced.info.at(0).summary.serial == 10);

    daemon::undo_reload(second); // the dataplane said no
    CHECK(second.zones.info[1].summary.serial == 10);
    CHECK(second.zones.info[0].summary.serial == 1);
}

TEST_CASE("reload: a broken zone is rejected with file:line errors and the set handed back") {
    Dir dir;
    const std::vector<zone::ZoneSource> sources = {
        {"example.net.", dir.write("net.zone", zone_text("example.net.", 1))}};
    auto first = compile(sources, {}, std::nullopt, 1, dir);
    REQUIRE(first.ok);

    const std::string broken =
        dir.write("net.zone", zone_text("example.net.", 2, "bad A 999.1.1.1\n"));
    auto second = compile(sources, std::move(first.zones), std::nullopt, 2, dir);
    CHECK_FALSE(second.ok);
    REQUIRE_FALSE(second.errors.empty());
    CHECK(second.errors[0].to_string().rfind(broken + ":7:", 0) == 0);
    REQUIRE(second.zones.size() == 1);
    CHECK(second.zones.info[0].summary.serial == 1);
    CHECK_FALSE(fs::exists(dir.path / "snapshot-2.bin"));
}

TEST_CASE("reload: the same origin twice is an error") {
    Dir dir;
    const std::string file = dir.write("net.zone", zone_text("example.net.", 1));
    auto out = compile({{"example.net.", file}, {"example.net", file}}, {}, std::nullopt, 1, dir);
    CHECK_FALSE(out.ok);
    REQUIRE(out.errors.size() == 1);
    CHECK(out.errors[0].message.find("already loaded") != std::string::npos);
}
