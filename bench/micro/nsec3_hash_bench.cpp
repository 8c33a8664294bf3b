// The NSEC3 owner hash (RFC 5155 §5) as the packet path computes it, A/B: ringcast's own SHA-1
// (dataplane/util/sha1.cpp: the SHA extensions where the CPU has them) against OpenSSL's EVP
// SHA-1 with one EVP_MD_CTX and one fetched EVP_MD reused for every hash, as a per-lcore
// context would be. Inputs as in the tests' zones: no salt and no extra iterations (RFC 9276
// §3.1, the zones' NSEC3PARAM 1 0 0 -), and salt aabbccdd with 12 iterations
// (tests/unit/dns/dns_dnssec_test.cpp). Also the block function alone, SHA extensions against
// the portable code every other CPU runs. Cycles by rte_rdtsc(), median of --runs.
#include "bench/micro/tsc_clock.h"
#include "dataplane/dns/nsec3_hash.h"
#include "dataplane/util/sha1.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <vector>

namespace rc = ringcast;

namespace {

// www.nsec3.example. in wire form, lowercase: the name hashed for a typical query.
constexpr uint8_t kName[] = {3, 'w', 'w', 'w', 5,   'n', 's', 'e', 'c', '3',
                             7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0};
constexpr uint8_t kSalt[] = {0xaa, 0xbb, 0xcc, 0xdd};

struct Case {
    const char* label;
    rc::dns::Nsec3Params params;
};

class EvpNsec3 {
  public:
    EvpNsec3() : md_(EVP_MD_fetch(nullptr, "SHA1", nullptr)), ctx_(EVP_MD_CTX_new()) {}
    ~EvpNsec3() {
        EVP_MD_CTX_free(ctx_);
        EVP_MD_free(md_);
    }
    EvpNsec3(const EvpNsec3&) = delete;
    EvpNsec3& operator=(const EvpNsec3&) = delete;
    bool ok() const { return md_ != nullptr && ctx_ != nullptr; }

    // The same hash as dns::nsec3_digest.
    bool digest(const uint8_t* name, size_t len, const rc::dns::Nsec3Params& params,
                uint8_t (&out)[rc::dns::kNsec3DigestSize]) {
        if (!once(name, len, params, out)) return false;
        for (unsigned i = 0; i < params.iterations; ++i)
            if (!once(out, sizeof out, params, out)) return false;
        return true;
    }

  private:
    bool once(const uint8_t* data, size_t len, const rc::dns::Nsec3Params& params,
              uint8_t (&out)[rc::dns::kNsec3DigestSize]) {
        unsigned int size = 0;
        return EVP_DigestInit_ex2(ctx_, md_, nullptr) == 1 &&
               EVP_DigestUpdate(ctx_, data, len) == 1 &&
               EVP_DigestUpdate(ctx_, params.salt, params.salt_length) == 1 &&
               EVP_DigestFinal_ex(ctx_, out, &size) == 1 && size == sizeof out;
    }

    EVP_MD* md_;
    EVP_MD_CTX* ctx_;
};

// Median over `runs` of the cycles per call of `body`, called `calls` times per run.
template <typename Body>
double median_cycles(unsigned runs, unsigned calls, Body body) {
    std::vector<double> per_call;
    for (unsigned r = 0; r < runs; ++r) {
        const uint64_t start = rte_rdtsc();
        for (unsigned i = 0; i < calls; ++i)
            body(i);
        per_call.push_back(static_cast<double>(rte_rdtsc() - start) / calls);
    }
    std::sort(per_call.begin(), per_call.end());
    return per_call[per_call.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"NSEC3 hash: ringcast SHA-1 against OpenSSL EVP with a reused context"};
    unsigned calls = 200'000, runs = 7;
    app.add_option("--hashes", calls, "Hashes timed per run");
    app.add_option("--runs", runs, "Runs (the median is reported)");
    CLI11_PARSE(app, argc, argv);

    EvpNsec3 evp;
    if (!evp.ok()) {
        fmt::print(stderr, "OpenSSL has no SHA-1 here\n");
        return 1;
    }
    const double tsc_hz = rc::bench::calibrate_tsc_hz();
    fmt::print("TSC {:.2f} GHz; SHA extensions {}; {} hashes x {} runs, median\n", tsc_hz / 1e9,
               rc::util::sha1_uses_sha_extensions() ? "in use" : "absent", calls, runs);
    fmt::print("{:<28} {:>12} {:>12} {:>8}\n", "input", "ringcast_cyc", "evp_cyc", "evp/rc");

    const Case cases[] = {{"no salt, 0 iterations", {0, 0, kSalt}},
                          {"salt aabbccdd, 12 iter.", {12, sizeof kSalt, kSalt}}};
    int status = 0;
    for (const Case& c : cases) {
        uint8_t ours[rc::dns::kNsec3DigestSize], theirs[rc::dns::kNsec3DigestSize];
        rc::dns::nsec3_digest(kName, sizeof kName, c.params, ours);
        if (!evp.digest(kName, sizeof kName, c.params, theirs) ||
            std::memcmp(ours, theirs, sizeof ours) != 0) {
            fmt::print(stderr, "{}: the two digests differ\n", c.label);
            status = 2;
        }
        // Each hash's input depends on the call number, so no call can be hoisted.
        uint8_t name[sizeof kName];
        std::memcpy(name, kName, sizeof kName);
        const double rc_cycles = median_cycles(runs, calls, [&](unsigned i) {
            name[1] = static_cast<uint8_t>('a' + i % 26);
            rc::dns::nsec3_digest(name, sizeof name, c.params, ours);
        });
        const double evp_cycles = median_cycles(runs, calls, [&](unsigned i) {
            name[1] = static_cast<uint8_t>('a' + i % 26);
            evp.digest(name, sizeof name, c.params, theirs);
        });
        fmt::print("{:<28} {:>12.0f} {:>12.0f} {:>8.2f}\n", c.label, rc_cycles, evp_cycles,
                   evp_cycles / rc_cycles);
    }

    uint8_t block[rc::util::kSha1BlockSize] = {};
    uint32_t state[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    const double in_use = median_cycles(runs, calls, [&](unsigned i) {
        block[0] = static_cast<uint8_t>(i);
        rc::util::sha1_compress(state, block);
    });
    const double portable = median_cycles(runs, calls, [&](unsigned i) {
        block[0] = static_cast<uint8_t>(i);
        rc::util::sha1_compress_portable(state, block);
    });
    fmt::print("one 64-byte block: {:.0f} cycles in use, {:.0f} portable (state {:08x})\n", in_use,
               portable, state[0]);
    return status;
}
