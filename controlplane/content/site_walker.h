// Finding what a site serves: the regular files under its root, each with the request paths it
// answers to and its precompressed siblings. Nothing is read here but directories.
#pragma once

#include "controlplane/content/content_compiler.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ringcast::content {

// Directories deeper than this below the root are an error (a symlink loop the inode check
// cannot see, or a tree nobody meant to serve).
inline constexpr unsigned kMaxDirectoryDepth = 64;

struct SiteFile {
    // The request paths (percent-decoded, from '/') that name this file: its own, and for a
    // directory's index.html also "/dir/" and "/dir" (format.h says why).
    std::vector<std::string> routes;
    std::filesystem::path file;                // identity
    std::optional<std::filesystem::path> gzip; // `file`.gz beside it
    std::optional<std::filesystem::path> br;   // `file`.br beside it
};

struct WalkResult {
    std::vector<SiteFile> files; // in path order
    std::vector<std::string> errors;
    std::vector<std::string> warnings;
};

// Walks `root` (which must be a directory). Dotfiles and dot-directories, symlinks leading out of
// the root or nowhere, and special files are left out with a warning; a file whose sibling
// `name.gz` or `name.br` exists gets that sibling as a variant, and the sibling is not served
// under its own name. Returns false when anything was appended to `errors`.
bool walk_site(const std::filesystem::path& root, const ContentLimits& limits, WalkResult& out);

} // namespace ringcast::content
