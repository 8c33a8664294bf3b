#include "dataplane/util/huge_page_memory.h"

#include <cerrno>
#include <cstring>
#include <linux/prctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>

namespace ringcast {
namespace {

size_t round_up(size_t n, size_t to) {
    return (n + to - 1) / to * to;
}

} // namespace

HugePageMemory::~HugePageMemory() {
    if (mapping_ != nullptr) ::munmap(mapping_, mapping_size_);
}

bool HugePageMemory::allocate(size_t bytes, const char* name, std::string& error) {
    // Over-allocate by one huge page so that the memory can start on a huge-page boundary.
    const size_t length = round_up(bytes, kHugePageSize) + kHugePageSize;
    void* map = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) {
        error = std::string("mmap ") + std::to_string(length) + " bytes: " + std::strerror(errno);
        return false;
    }
    mapping_ = map;
    mapping_size_ = length;
    data_ = reinterpret_cast<uint8_t*>(round_up(reinterpret_cast<uintptr_t>(map), kHugePageSize));
    // Both only advice: EINVAL where THP or anonymous VMA names are not built in changes
    // nothing else.
    if (bytes >= kHugePageSize)
        (void)::madvise(data_, round_up(bytes, kHugePageSize), MADV_HUGEPAGE);
    (void)::prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, reinterpret_cast<unsigned long>(mapping_),
                  mapping_size_, reinterpret_cast<unsigned long>(name));
    return true;
}

bool HugePageMemory::make_read_only(std::string& error) {
    if (::mprotect(mapping_, mapping_size_, PROT_READ) == 0) return true;
    error = std::string("mprotect: ") + std::strerror(errno);
    return false;
}

} // namespace ringcast
