// Publishing a snapshot file atomically: the dataplane maps whatever is at `path`, so it must
// only ever see a complete, durable file. Write a temporary file in the same directory (rename
// is only atomic within one filesystem), fsync it, rename it over `path`, then fsync the
// directory so the rename itself survives a power cut.
#include "controlplane/zone/zone_compiler.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace ringcast::zone {

namespace {

// Snapshots hold only what the zones publish to the world anyway: readable by all, so a
// dataplane running as another user can map it.
constexpr mode_t kSnapshotMode = 0644;

std::string errno_text(const char* what, const std::string& path) {
    return fmt::format("{} {}: {}", what, path, std::strerror(errno));
}

bool write_all(int fd, const uint8_t* data, size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

std::string directory_of(const std::string& path) {
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

} // namespace

bool write_snapshot_file(const std::vector<uint8_t>& snapshot, const std::string& path,
                         std::string& error) {
    std::string temp = path + ".tmp.XXXXXX";
    // Close-on-exec: ringcastd forks the dataplane and must not leak this descriptor into it.
    const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
    if (fd < 0) {
        error = errno_text("cannot create", temp);
        return false;
    }
    auto fail = [&](const char* what, const std::string& name) {
        error = errno_text(what, name);
        ::close(fd);
        ::unlink(temp.c_str());
        return false;
    };
    if (::fchmod(fd, kSnapshotMode) != 0) return fail("cannot chmod", temp);
    if (!write_all(fd, snapshot.data(), snapshot.size())) return fail("cannot write", temp);
    if (::fsync(fd) != 0) return fail("cannot fsync", temp);
    if (::close(fd) != 0) {
        error = errno_text("cannot close", temp);
        ::unlink(temp.c_str());
        return false;
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        error = errno_text("cannot rename into", path);
        ::unlink(temp.c_str());
        return false;
    }
    const std::string dir = directory_of(path);
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) {
        error = errno_text("cannot open directory", dir);
        return false;
    }
    const bool synced = ::fsync(dir_fd) == 0;
    if (!synced) error = errno_text("cannot fsync directory", dir);
    ::close(dir_fd);
    return synced;
}

} // namespace ringcast::zone
