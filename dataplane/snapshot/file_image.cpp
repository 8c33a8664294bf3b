#include "dataplane/snapshot/file_image.h"

#include "dataplane/snapshot/format.h"
#include "dataplane/util/unique_fd.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/prctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ringcast::snapshot {
namespace {

constexpr size_t kHugePageSize = size_t{2} << 20; // x86-64 and arm64 PMD-level page
// What /proc/PID/maps calls the image ("[anon:ringcast-snapshot]") on kernels built with
// CONFIG_ANON_VMA_NAME, so that operators can tell its memory from the rest of the process.
constexpr char kMappingName[] = "ringcast-snapshot";

size_t round_up(size_t n, size_t to) {
    return (n + to - 1) / to * to;
}

} // namespace

FileImage::~FileImage() {
    if (mapping_ != nullptr) ::munmap(mapping_, mapping_size_);
}

bool FileImage::load(const std::string& path, std::string& error) {
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
    if (size < sizeof(Header)) {
        error = "truncated: file has " + std::to_string(size) + " bytes, a header needs " +
                std::to_string(sizeof(Header));
        return false;
    }

    // Over-allocate by one huge page so that the image can start on a huge-page boundary.
    const size_t length = round_up(size, kHugePageSize) + kHugePageSize;
    void* map = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) {
        error = std::string("mmap ") + std::to_string(length) + " bytes: " + std::strerror(errno);
        return false;
    }
    mapping_ = map;
    mapping_size_ = length;
    const uintptr_t start = round_up(reinterpret_cast<uintptr_t>(map), kHugePageSize);
    data_ = reinterpret_cast<uint8_t*>(start);
    // Both only advice: EINVAL where THP or anonymous VMA names are not built in changes
    // nothing else. A snapshot under one huge page fits the TLB as it is, and would only waste
    // the rest of the page.
    if (size >= kHugePageSize) (void)::madvise(data_, round_up(size, kHugePageSize), MADV_HUGEPAGE);
    (void)::prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, reinterpret_cast<unsigned long>(mapping_),
                  mapping_size_, reinterpret_cast<unsigned long>(kMappingName));

    size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fd.get(), data_ + done, size - done, static_cast<off_t>(done));
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
    size_ = size;
    // Read-only from here on, as the packet path expects of a published snapshot.
    if (::mprotect(mapping_, mapping_size_, PROT_READ) != 0) {
        error = std::string("mprotect: ") + std::strerror(errno);
        return false;
    }
    // The copy is what is served: the page cache need not keep a second one.
    (void)::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_DONTNEED);
    return true;
}

} // namespace ringcast::snapshot
