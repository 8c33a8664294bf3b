// The content pipeline: walk each site's root, read every file and its precompressed siblings,
// precompute each variant's headers, then lay the image out (content_builder.cpp).
#include "controlplane/content/content_builder.h"
#include "controlplane/content/content_compiler.h"
#include "controlplane/content/media_types.h"
#include "controlplane/content/response_headers.h"
#include "controlplane/content/site_walker.h"
#include "dataplane/util/unique_fd.h"

#include <cerrno>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ringcast::content {
namespace {

namespace fs = std::filesystem;

// RFC 1952 §2.3.1: every gzip member starts with ID1 ID2 = 0x1f 0x8b. (Brotli has no magic.)
constexpr uint8_t kGzipMagic[2] = {0x1f, 0x8b};

struct FileBytes {
    std::vector<uint8_t> bytes;
    int64_t mtime_unix = 0;
};

// Reads a whole regular file of at most `max_bytes`. False with `error` set otherwise.
bool read_file(const fs::path& path, uint64_t max_bytes, FileBytes& out, std::string& error) {
    // Non-blocking: a FIFO put in a file's place must not hang the compile (fstat refuses it).
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    const int f = fd.get();
    if (f < 0) {
        error = fmt::format("cannot open {}: {}", path.string(), std::strerror(errno));
        return false;
    }
    struct stat st {};
    if (::fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
        error = fmt::format("{}: not a regular file", path.string());
        return false;
    }
    const auto size = static_cast<uint64_t>(st.st_size);
    if (size > max_bytes) {
        error = fmt::format("{}: {} bytes, above the limit of {} bytes for one object",
                            path.string(), size, max_bytes);
        return false;
    }
    out.bytes.resize(size);
    uint64_t done = 0;
    while (done < size) {
        const ssize_t n =
            ::pread(f, out.bytes.data() + done, size - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            error = n < 0 ? fmt::format("cannot read {}: {}", path.string(), std::strerror(errno))
                          : fmt::format("{} shrank while being read", path.string());
            return false;
        }
        done += static_cast<uint64_t>(n);
    }
    out.mtime_unix = static_cast<int64_t>(st.st_mtim.tv_sec);
    return true;
}

class Compiler {
  public:
    Compiler(const ContentOptions& options, ContentResult& result)
        : limits_(options.limits), result_(result) {}

    void site(const SiteSource& source, std::vector<CompiledSite>& out) {
        const std::string name = source.hosts.empty() ? source.root : source.hosts.front();
        auto error = [&](const std::string& message) {
            result_.errors.push_back(fmt::format("site {}: {}", name, message));
        };
        WalkResult walk;
        walk_site(source.root, limits_, walk);
        for (const std::string& e : walk.errors)
            error(e);
        for (const std::string& w : walk.warnings)
            result_.warnings.push_back(fmt::format("site {}: {}", name, w));

        CompiledSite site;
        site.hosts = source.hosts;
        SiteSummary summary;
        summary.hosts = source.hosts;
        summary.root = source.root;
        for (const SiteFile& file : walk.files) {
            if (objects_ == limits_.max_objects) {
                error(fmt::format("more than {} objects (the limit over every site)",
                                  limits_.max_objects));
                break;
            }
            ++objects_;
            std::string problem;
            CompiledObject object;
            if (!compile_object(file, source.cache_control, object, problem)) {
                error(problem);
                continue;
            }
            for (const CompiledVariant& v : object.variants) {
                summary.body_bytes += v.body.size();
                total_bytes_ += v.body.size();
            }
            summary.variants += static_cast<uint32_t>(object.variants.size());
            ++summary.objects;
            site.objects.push_back(std::move(object));
            if (total_bytes_ > limits_.max_total_bytes) {
                error(fmt::format("more than {} bytes of bodies (the limit over every site)",
                                  limits_.max_total_bytes));
                break;
            }
        }
        result_.objects += summary.objects;
        result_.body_bytes += summary.body_bytes;
        result_.sites.push_back(std::move(summary));
        out.push_back(std::move(site));
    }

  private:
    bool compile_object(const SiteFile& file, const std::string& cache_control,
                        CompiledObject& object, std::string& error) {
        FileBytes identity;
        if (!read_file(file.file, limits_.max_object_bytes, identity, error)) return false;
        object.routes = file.routes;
        object.last_modified_unix = identity.mtime_unix;
        CompiledVariant plain;
        plain.body = std::move(identity.bytes);
        object.variants.push_back(std::move(plain));
        const std::pair<const std::optional<fs::path>*, Encoding> siblings[] = {
            {&file.gzip, Encoding::gzip}, {&file.br, Encoding::br}};
        for (const auto& [path, encoding] : siblings) {
            if (!*path) continue;
            FileBytes bytes;
            if (!read_file(**path, limits_.max_object_bytes, bytes, error)) return false;
            if (encoding == Encoding::gzip &&
                (bytes.bytes.size() < sizeof kGzipMagic ||
                 std::memcmp(bytes.bytes.data(), kGzipMagic, sizeof kGzipMagic) != 0)) {
                result_.warnings.push_back(
                    fmt::format("skipped {}: not gzip data (no 1f 8b magic)", (*path)->string()));
                continue;
            }
            CompiledVariant compressed;
            compressed.encoding = encoding;
            compressed.body = std::move(bytes.bytes);
            object.variants.push_back(std::move(compressed));
        }
        const std::string_view type = media_type_for(file.file.filename().string());
        const bool several = object.variants.size() > 1;
        for (CompiledVariant& v : object.variants) {
            const VariantHeaders headers =
                variant_headers(type, v.encoding, entity_tag(v.body), object.last_modified_unix,
                                cache_control, several);
            v.headers = headers.block;
            v.etag_at = headers.etag_at;
            v.etag_size = headers.etag_size;
        }
        return true;
    }

    const ContentLimits& limits_;
    ContentResult& result_;
    uint32_t objects_ = 0;
    uint64_t total_bytes_ = 0;
};

} // namespace

ContentResult compile_content(const std::vector<SiteSource>& sources,
                              const ContentOptions& options) {
    ContentResult result;
    std::vector<CompiledSite> sites;
    Compiler compiler(options, result);
    for (const SiteSource& source : sources)
        compiler.site(source, sites);
    if (!result.errors.empty()) return result;
    try {
        result.image = build_content_image(sites, options);
    } catch (const std::exception& e) {
        result.errors.push_back(fmt::format("cannot build the content snapshot: {}", e.what()));
        return result;
    }
    if (result.image.size() > options.limits.max_total_bytes) {
        result.errors.push_back(fmt::format("the content snapshot has {} bytes, above the limit "
                                            "of {}",
                                            result.image.size(), options.limits.max_total_bytes));
        result.image.clear();
        return result;
    }
    result.ok = true;
    return result;
}

} // namespace ringcast::content
