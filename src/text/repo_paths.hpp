// Repository-relative paths as edits name them: normalising and refusing the
// unsafe ones, and reading a file of a work tree safely.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace ds::text {

// The clean relative form of `path` ("./a//b/./c" -> "a/b/c"; "a/../b" -> "b").
// Errors for: empty, NUL or line breaks, backslashes, absolute paths ("/x",
// "C:x", "~/x"), '..' leaving the repository, any `.git` component (in any
// case), and paths naming a directory ("a/", ".").
Result<std::string> normalize_repo_path(std::string_view path);

// The same for a folder: "", "." and "./" are the root (returned as ""), a
// trailing '/' is allowed ("src/" -> "src").
Result<std::string> normalize_repo_dir(std::string_view path);

// Reads `path` (normalised as above) below the work tree `root`. std::nullopt
// when the file does not exist. Errors when the path is unsafe, when the path
// or one of its parent folders is a symbolic link (git stores a link, not the
// file it points to), when it is not a regular file, when the file is binary
// (a NUL byte in its first 8000 bytes) or cannot be read.
Result<std::optional<std::string>> read_repo_file(const std::filesystem::path& root, std::string_view path);

}  // namespace ds::text
