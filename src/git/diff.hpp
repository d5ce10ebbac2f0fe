// The patch between two commits (typically two checkpoints: the run's start
// and its end), in the `diff --git` format that `git apply` and SWE-bench's
// harness accept.
#pragma once

#include <string>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

// `git diff from to`: full-index `diff --git` patch with 3 lines of context,
// new/deleted files, mode changes, and binary files as "GIT binary patch"
// hunks. Either side may be any revision (hex id, ref, "HEAD"); "" is the
// empty tree. Empty when the trees are equal.
Result<std::string> diff_commits(Repository& repo, const std::string& from_commit,
                                 const std::string& to_commit);

}  // namespace ds::git
