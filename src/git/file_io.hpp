// Plain file-system helpers of the git layer for the writes libgit2 does not
// do for us (restoring checkpoints, the rare apply fallback): raw reads,
// atomic replacement (temp file + rename in the same folder), folders.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace ds::git {

// The file's bytes, std::nullopt when it does not exist. No filters, no checks.
Result<std::optional<std::string>> read_file_raw(const std::string& abs_path);

// Replaces `abs_path` with `data` atomically: a temporary file in the same
// folder, chmod `mode`, rename over the target. Readers never see a partial file.
Status write_file_atomic(const std::string& abs_path, std::string_view data, mode_t mode);

// Replaces `abs_path` with a symbolic link to `target`, atomically.
Status write_symlink_atomic(const std::string& abs_path, const std::string& target);

// Creates the folders leading to root/rel (not rel itself). Errors when one of
// them exists as something other than a folder.
Status make_parent_dirs(const std::string& root, const std::string& rel);

// True when every folder leading to root/rel exists as a real folder (no
// symbolic link to follow out of the tree).
bool parents_are_real_dirs(const std::string& root, const std::string& rel);

// Removes the now-empty folders above root/rel, bottom up, stopping at root.
void remove_empty_parents(const std::string& root, const std::string& rel);

// What git would create: 0666 or 0777 minus the process umask.
mode_t new_file_mode(bool executable);

}  // namespace ds::git
