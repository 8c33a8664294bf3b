#include "controlplane/bgp/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <unistd.h>

namespace ringcast::bgp {

bool write_file_atomically(const std::string& path, const std::string& content,
                           std::string& error) {
    const std::filesystem::path target(path);
    const std::string temp = fmt::format("{}.tmp.{}", path, getpid());
    const int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        error = fmt::format("{}: {}", temp, std::strerror(errno));
        return false;
    }
    size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            error = fmt::format("{}: write: {}", temp, std::strerror(errno));
            close(fd);
            unlink(temp.c_str());
            return false;
        }
        done += static_cast<size_t>(n);
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        error = fmt::format("{}: fsync: {}", temp, std::strerror(errno));
        unlink(temp.c_str());
        return false;
    }
    if (rename(temp.c_str(), path.c_str()) != 0) {
        error = fmt::format("rename {} -> {}: {}", temp, path, std::strerror(errno));
        unlink(temp.c_str());
        return false;
    }
    const std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
    const int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
        fsync(dir_fd);
        close(dir_fd);
    }
    return true;
}

bool read_whole_file(const std::string& path, std::string& out, bool& missing, std::string& error) {
    missing = false;
    out.clear();
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            missing = true;
            return true;
        }
        error = fmt::format("{}: {}", path, std::strerror(errno));
        return false;
    }
    char buffer[4096];
    for (;;) {
        const ssize_t n = read(fd, buffer, sizeof(buffer));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            error = fmt::format("{}: read: {}", path, std::strerror(errno));
            close(fd);
            return false;
        }
        if (n == 0) break;
        out.append(buffer, static_cast<size_t>(n));
    }
    close(fd);
    return true;
}

} // namespace ringcast::bgp
