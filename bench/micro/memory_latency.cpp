// What one random cache miss costs on this machine, at the working-set sizes of the snapshots
// the micro-benchmark answers from. A lookup in a large zone is a few such misses, so these
// figures bound how flat its cost can be from 1k to 1M names, whatever the code does:
//
//   dependent: one chain of loads, each address read from the previous line (latency);
//   parallel:  kParallelChains chains advanced in turn, as the burst prefetch overlaps the
//              misses of 32 queries (the memory system's throughput for random lines).
//
// Memory is allocated as the dataplane's snapshot image is (dataplane/util/huge_page_memory.h):
// anonymous, 2 MiB aligned, advised for transparent huge pages. --gigantic-pages takes it from
// a reserved 1 GiB hugetlb page instead (one TLB entry for the whole working set), to tell TLB
// misses from cache misses. Output: one "key=value ..." line per working-set size.
//
// Usage: memory_latency [--sizes-kib 64,4096,8192,81920] [--hops N] [--gigantic-pages]

#include "bench/micro/tsc_clock.h"
#include "dataplane/util/huge_page_memory.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdint>
#include <fmt/core.h>
#include <linux/mman.h>
#include <numeric>
#include <random>
#include <string>
#include <sys/mman.h>
#include <vector>

namespace {

constexpr size_t kLine = 64;
constexpr unsigned kParallelChains = 16; // about the L1 fill buffers of a current x86 core
constexpr uint64_t kSeed = 1;

struct alignas(kLine) Line {
    Line* next;
};

// A single random cycle through every line of `lines` (Sattolo's algorithm).
void link_random_cycle(Line* lines, size_t count) {
    std::vector<size_t> order(count);
    std::iota(order.begin(), order.end(), size_t{0});
    std::mt19937_64 rng(kSeed);
    for (size_t i = count - 1; i > 0; --i)
        std::swap(order[i], order[std::uniform_int_distribution<size_t>(0, i - 1)(rng)]);
    for (size_t i = 0; i < count; ++i)
        lines[order[i]].next = &lines[order[(i + 1) % count]];
}

[[gnu::noinline]] Line* chase(Line* p, uint64_t hops) {
    for (uint64_t i = 0; i < hops; ++i)
        p = p->next;
    return p;
}

[[gnu::noinline]] Line* chase_parallel(Line* const* starts, uint64_t hops) {
    Line* p[kParallelChains];
    std::copy(starts, starts + kParallelChains, p);
    for (uint64_t i = 0; i < hops; i += kParallelChains)
        for (unsigned c = 0; c < kParallelChains; ++c)
            p[c] = p[c]->next;
    Line* sink = nullptr;
    for (Line* q : p)
        sink = reinterpret_cast<Line*>(reinterpret_cast<uintptr_t>(sink) ^
                                       reinterpret_cast<uintptr_t>(q));
    return sink;
}

constexpr size_t kGiganticPage = size_t{1} << 30;

// Working-set memory from 1 GiB hugetlb pages (reserved beforehand through
// /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages).
class GiganticPageMemory {
  public:
    ~GiganticPageMemory() {
        if (map_ != MAP_FAILED) ::munmap(map_, length_);
    }
    bool allocate(size_t bytes, std::string& error) {
        length_ = (bytes + kGiganticPage - 1) / kGiganticPage * kGiganticPage;
        map_ = ::mmap(nullptr, length_, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1GB, -1, 0);
        if (map_ != MAP_FAILED) return true;
        error = fmt::format("no free 1 GiB huge page for {} bytes: reserve one with echo 1 > "
                            "/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages",
                            bytes);
        return false;
    }
    uint8_t* data() const { return static_cast<uint8_t*>(map_); }

  private:
    void* map_ = MAP_FAILED;
    size_t length_ = 0;
};

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"Random cache-line miss cost by working-set size"};
    std::vector<size_t> sizes_kib{64, 4096, 8192, 81920};
    uint64_t hops = 4'000'000;
    app.add_option("--sizes-kib", sizes_kib, "Working-set sizes, KiB")->delimiter(',');
    app.add_option("--hops", hops, "Loads timed per measurement");
    bool gigantic = false;
    app.add_flag("--gigantic-pages", gigantic, "Use a reserved 1 GiB hugetlb page, not THP");
    CLI11_PARSE(app, argc, argv);

    const double tsc_hz = ringcast::bench::calibrate_tsc_hz();
    for (const size_t kib : sizes_kib) {
        ringcast::HugePageMemory memory;
        GiganticPageMemory gigantic_memory;
        std::string error;
        const bool allocated = gigantic
                                   ? gigantic_memory.allocate(kib * 1024, error)
                                   : memory.allocate(kib * 1024, "ringcast-memory-latency", error);
        if (!allocated) {
            fmt::print(stderr, "{}\n", error);
            return 1;
        }
        auto* base = reinterpret_cast<Line*>(gigantic ? gigantic_memory.data() : memory.data());
        const size_t count = kib * 1024 / kLine;
        link_random_cycle(base, count);

        Line* p = chase(base, count); // one warm-up lap: pages faulted in, caches filled
        uint64_t t0 = rte_rdtsc();
        p = chase(p, hops);
        const double dependent = static_cast<double>(rte_rdtsc() - t0) / static_cast<double>(hops);

        Line* starts[kParallelChains];
        for (unsigned c = 0; c < kParallelChains; ++c)
            starts[c] = base + (count / kParallelChains) * c;
        t0 = rte_rdtsc();
        Line* q = chase_parallel(starts, hops);
        const double parallel = static_cast<double>(rte_rdtsc() - t0) / static_cast<double>(hops);

        fmt::print(
            "pages={} size_kib={} dependent_cycles_per_load={:.1f} dependent_ns_per_load={:.1f} "
            "parallel{}_cycles_per_load={:.1f} sink={}\n",
            gigantic ? "1g" : "thp", kib, dependent, dependent * 1e9 / tsc_hz, kParallelChains,
            parallel, (reinterpret_cast<uintptr_t>(p) ^ reinterpret_cast<uintptr_t>(q)) & 1);
    }
    return 0;
}
