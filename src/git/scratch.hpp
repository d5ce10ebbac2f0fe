// A scratch work tree of a commit: a repository of its own at `dir` that
// borrows `repo`'s objects (objects/info/alternates, nothing copied), with
// HEAD detached at the commit, its index read from the commit's tree (no file
// hashed) and the tree's files written out (export_tree). For best-of-N
// attempts: each works, checkpoints and diffs in its own tree, and `repo`'s
// work tree, index, HEAD and refs are never touched.
#pragma once

#include <string>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

Result<Repository> scratch_worktree(Repository& repo, const std::string& commit, const std::string& dir);

}  // namespace ds::git
