#include "dataplane/snapshot/file_image.h"

#include "dataplane/snapshot/format.h"
#include "dataplane/util/unique_fd.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ringcast::snapshot {
namespace {

// What /proc/PID/maps calls the image ("[anon:ringcast-snapshot]") where the kernel names
// anonymous mappings, so that operators can tell its memory from the rest of the process.
constexpr char kMappingName[] = "ringcast-snapshot";

} // namespace

bool FileImage::load(const std::string& path, std::string& error) {
    return load(path, sizeof(Header), kMappingName, error);
}

bool FileImage::load(const std::string& path, size_t min_size, const char* mapping_name,
                     std::string& error) {
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        error = std::strerror(errno);
        return false;
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) {
        error = std::string("fstat: ") + std::strerror(errno);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        error = "not a regular file";
        return false;
    }
    const size_t size = static_cast<size_t>(st.st_size);
    if (size < min_size) {
        error = "truncated: file has " + std::to_string(size) + " bytes, a header needs " +
                std::to_string(min_size);
        return false;
    }

    if (!memory_.allocate(size, mapping_name, error)) return false;
    uint8_t* const data = memory_.data();

    size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fd.get(), data + done, size - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            error = std::string("read: ") + std::strerror(errno);
            return false;
        }
        if (n == 0) {
            error = "file shrank while being read (" + std::to_string(done) + " of " +
                    std::to_string(size) + " bytes)";
            return false;
        }
        done += static_cast<size_t>(n);
    }
    // Read-only from here on, as the packet path expects of a published snapshot.
    if (!memory_.make_read_only(error)) return false;
    size_ = size;
    // The copy is what is served: the page cache need not keep a second one.
    (void)::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_DONTNEED);
    return true;
}

} // namespace ringcast::snapshot
