// A site directory built in a temporary folder, for the content tests.
#pragma once

#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>

namespace ringcast::content::test {

// A fixed mtime, so Last-Modified is known: RFC 9110's own example date.
inline constexpr time_t kFixedMtime = 784111777; // Sun, 06 Nov 1994 08:49:37 GMT

struct TempTree {
    std::filesystem::path dir;
    TempTree() {
        char pattern[] = "/tmp/ringcast-content-test.XXXXXX";
        dir = mkdtemp(pattern);
    }
    ~TempTree() { std::filesystem::remove_all(dir); }
    TempTree(const TempTree&) = delete;
    TempTree& operator=(const TempTree&) = delete;

    // Writes `relative` under the tree with `bytes`, its mtime kFixedMtime.
    std::filesystem::path write(const std::string& relative, const std::string& bytes) const {
        const std::filesystem::path path = dir / relative;
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << bytes;
        const timespec times[2] = {{kFixedMtime, 0}, {kFixedMtime, 0}};
        utimensat(AT_FDCWD, path.c_str(), times, 0);
        return path;
    }
};

} // namespace ringcast::content::test
