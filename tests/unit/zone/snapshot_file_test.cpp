#include "controlplane/zone/zone_compiler.h"

#include <catch2/catch.hpp>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <sys/stat.h>
#include <unistd.h>

using namespace ringcast::zone;

namespace {

struct TempDir {
    std::string path;
    TempDir() {
        char tmpl[] = "/tmp/ringcast-snapshot-test-XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        if (DIR* d = ::opendir(path.c_str())) {
            while (dirent* e = ::readdir(d))
                if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
                    ::unlink((path + "/" + e->d_name).c_str());
            ::closedir(d);
        }
        ::rmdir(path.c_str());
    }
    std::vector<std::string> entries() const {
        std::vector<std::string> out;
        DIR* d = ::opendir(path.c_str());
        while (dirent* e = ::readdir(d))
            if (e->d_name[0] != '.') out.push_back(e->d_name);
        ::closedir(d);
        return out;
    }
};

std::vector<uint8_t> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_CASE("write_snapshot_file writes, replaces, and leaves no temporary file") {
    TempDir dir;
    const std::string path = dir.path + "/snapshot.bin";
    std::string error;
    const std::vector<uint8_t> first(1000, 0xab), second{1, 2, 3};
    REQUIRE(write_snapshot_file(first, path, error));
    CHECK(read_file(path) == first);
    REQUIRE(write_snapshot_file(second, path, error));
    CHECK(read_file(path) == second);
    CHECK(dir.entries() == std::vector<std::string>{"snapshot.bin"});
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0644);
}

TEST_CASE("write_snapshot_file reports a directory it cannot write to") {
    std::string error;
    CHECK_FALSE(write_snapshot_file({1, 2, 3}, "/nonexistent-dir/snapshot.bin", error));
    CHECK(error.find("/nonexistent-dir/snapshot.bin.tmp.") != std::string::npos);
    CHECK(error.find("No such file or directory") != std::string::npos);
}

TEST_CASE("write_snapshot_file keeps the old file when the rename cannot happen") {
    TempDir dir;
    // The target is a non-empty directory: rename(2) fails, nothing is left behind.
    const std::string target = dir.path + "/target";
    REQUIRE(::mkdir(target.c_str(), 0755) == 0);
    std::ofstream(target + "/keep") << "x";
    std::string error;
    CHECK_FALSE(write_snapshot_file({1, 2, 3}, target, error));
    CHECK(error.find("cannot rename into") != std::string::npos);
    auto entries = dir.entries();
    CHECK(entries == std::vector<std::string>{"target"});
    ::unlink((target + "/keep").c_str());
    ::rmdir(target.c_str());
}
