#include "controlplane/zone/huge_pages.h"

#include <cstdint>
#include <sys/mman.h>
#include <unistd.h>

namespace ringcast::zone {

void advise_huge_pages(const void* data, size_t bytes) {
#ifdef MADV_HUGEPAGE
    const auto begin = reinterpret_cast<uintptr_t>(data);
    const uintptr_t first = (begin + kHugePageBytes - 1) & ~(uintptr_t{kHugePageBytes} - 1);
    const uintptr_t last = (begin + bytes) & ~(uintptr_t{kHugePageBytes} - 1);
    if (data == nullptr || last <= first) return;
    // Failure (EINVAL without THP support) only means small pages: nothing to report.
    (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
    (void)data;
    (void)bytes;
#endif
}

void release_unused(const void* data, size_t used, size_t capacity) {
    const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto begin = reinterpret_cast<uintptr_t>(data);
    const uintptr_t first = (begin + used + page - 1) & ~(page - 1);
    const uintptr_t last = (begin + capacity) & ~(page - 1);
    if (data == nullptr || last <= first) return;
    // Failure leaves the pages resident: more memory, nothing wrong.
    (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

} // namespace ringcast::zone
