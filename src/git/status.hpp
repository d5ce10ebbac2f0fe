// What the repository holds and what changed: tracked files (the index) and
// dirty paths (tracked files changed in the work tree or the index).
#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

// Paths in the index, sorted, each once (conflicted entries included).
Result<std::vector<std::string>> tracked_files(Repository& repo);

// Paths whose work-tree or index state differs from HEAD: modified, staged,
// added to the index, deleted, renamed (both names), conflicted. Untracked
// and ignored files do not count, nor do files outside a sparse checkout's
// cone (skip-worktree) that are missing on disk. Sorted, each once.
Result<std::vector<std::string>> dirty_paths(Repository& repo);

}  // namespace ds::git
