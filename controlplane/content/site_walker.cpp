#include "controlplane/content/site_walker.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <set>
#include <sys/stat.h>
#include <utility>

namespace ringcast::content {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kIndexFile = "index.html";
constexpr std::string_view kGzipSuffix = ".gz";
constexpr std::string_view kBrotliSuffix = ".br";

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A name a request path can carry and a log line can show: no control characters.
bool is_servable_name(std::string_view name) {
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7f) return false;
    return true;
}

// Whether `path` (canonical) is `root` (canonical) or below it.
bool is_within(const fs::path& path, const fs::path& root) {
    auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
    return r == root.end();
}

class Walker {
  public:
    Walker(const fs::path& root, const ContentLimits& limits, WalkResult& out)
        : root_(root), limits_(limits), out_(out) {}

    bool run() {
        std::error_code ec;
        canonical_root_ = fs::canonical(root_, ec);
        if (ec) return error(fmt::format("root {}: {}", root_.string(), ec.message()));
        struct stat st {};
        if (::stat(canonical_root_.c_str(), &st) != 0)
            return error(fmt::format("root {}: {}", root_.string(), std::strerror(errno)));
        if (!S_ISDIR(st.st_mode))
            return error(fmt::format("root {}: not a directory", root_.string()));
        visited_.insert({st.st_dev, st.st_ino});
        walk(root_, "/", 0);
        return out_.errors.empty();
    }

  private:
    bool error(std::string message) {
        out_.errors.push_back(std::move(message));
        return false;
    }
    void skip(const fs::path& path, std::string_view why) {
        out_.warnings.push_back(fmt::format("skipped {}: {}", path.string(), why));
    }

    void walk(const fs::path& dir, const std::string& prefix, unsigned depth) {
        if (depth > kMaxDirectoryDepth) {
            error(
                fmt::format("{}: more than {} directories deep", dir.string(), kMaxDirectoryDepth));
            return;
        }
        std::error_code ec;
        std::vector<std::string> names;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            names.push_back(it->path().filename().string());
        if (ec) {
            error(fmt::format("cannot read directory {}: {}", dir.string(), ec.message()));
            return;
        }
        std::sort(names.begin(), names.end());
        const std::set<std::string> present(names.begin(), names.end());

        for (const std::string& name : names) {
            const fs::path path = dir / name;
            if (name.front() == '.') {
                skip(path, "dotfiles are not served");
                continue;
            }
            if (!is_servable_name(name)) {
                skip(path, "control characters in the name");
                continue;
            }
            struct stat st {};
            if (!resolve(path, st)) continue;
            const std::string request_path = prefix + name;
            if (request_path.size() > limits_.max_path_length) {
                error(fmt::format("{}: request path of {} bytes, above the limit of {}",
                                  path.string(), request_path.size(), limits_.max_path_length));
                continue;
            }
            if (S_ISDIR(st.st_mode)) {
                if (!visited_.insert({st.st_dev, st.st_ino}).second) {
                    skip(path, "a directory already walked (a symlink loop?)");
                    continue;
                }
                walk(path, request_path + "/", depth + 1);
                continue;
            }
            if (!S_ISREG(st.st_mode)) {
                skip(path, "not a regular file");
                continue;
            }
            // "style.css.gz" beside "style.css" is a variant of it, not an object of its own.
            if (is_variant_of_present(name, kGzipSuffix, present, dir) ||
                is_variant_of_present(name, kBrotliSuffix, present, dir))
                continue;
            SiteFile file;
            file.file = path;
            file.routes.push_back(request_path);
            if (name == kIndexFile) {
                file.routes.push_back(prefix); // "/dir/" (or "/")
                if (prefix.size() > 1) file.routes.push_back(prefix.substr(0, prefix.size() - 1));
            }
            file.gzip = sibling(path, name, kGzipSuffix, present);
            file.br = sibling(path, name, kBrotliSuffix, present);
            out_.files.push_back(std::move(file));
        }
    }

    // stat()s `path`, following a symlink only when it stays inside the root. False (with a
    // warning or an error) when the entry is not served.
    bool resolve(const fs::path& path, struct stat& st) {
        if (::lstat(path.c_str(), &st) != 0) {
            error(fmt::format("cannot stat {}: {}", path.string(), std::strerror(errno)));
            return false;
        }
        if (!S_ISLNK(st.st_mode)) return true;
        std::error_code ec;
        const fs::path target = fs::canonical(path, ec);
        if (ec) {
            skip(path, fmt::format("symlink leads nowhere ({})", ec.message()));
            return false;
        }
        if (!is_within(target, canonical_root_)) {
            skip(path, fmt::format("symlink points outside the root (to {})", target.string()));
            return false;
        }
        if (::stat(path.c_str(), &st) != 0) {
            error(fmt::format("cannot stat {}: {}", path.string(), std::strerror(errno)));
            return false;
        }
        return true;
    }

    // Whether `name` is `base` + `suffix` for a `base` served from the same directory.
    bool is_variant_of_present(const std::string& name, std::string_view suffix,
                               const std::set<std::string>& present, const fs::path& dir) {
        if (!ends_with(name, suffix)) return false;
        const std::string base = name.substr(0, name.size() - suffix.size());
        if (!present.count(base)) return false;
        struct stat st {};
        return ::stat((dir / base).c_str(), &st) == 0 && S_ISREG(st.st_mode);
    }

    std::optional<fs::path> sibling(const fs::path& path, const std::string& name,
                                    std::string_view suffix, const std::set<std::string>& present) {
        const std::string sibling_name = name + std::string(suffix);
        if (!present.count(sibling_name)) return std::nullopt;
        const fs::path sibling_path = path.parent_path() / sibling_name;
        struct stat st {};
        if (!resolve(sibling_path, st)) return std::nullopt;
        if (!S_ISREG(st.st_mode)) {
            skip(sibling_path, "not a regular file");
            return std::nullopt;
        }
        return sibling_path;
    }

    const fs::path root_;
    const ContentLimits& limits_;
    WalkResult& out_;
    fs::path canonical_root_;
    std::set<std::pair<dev_t, ino_t>> visited_;
};

} // namespace

bool walk_site(const fs::path& root, const ContentLimits& limits, WalkResult& out) {
    return Walker(root, limits, out).run();
}

} // namespace ringcast::content
