// Where diffsmith keeps its per-work-tree files (runs, journals, the lock,
// scratch trees): a folder in the work tree's own git dir.
#pragma once

#include <string>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

// <the work tree's own git dir>/diffsmith, created on demand: .git/diffsmith
// for the main work tree, .git/worktrees/<name>/diffsmith for a linked one
// (runs in two work trees never share a lock, trajectory or journal); found
// when .git is a "gitdir:" file.
Result<std::string> diffsmith_dir(Repository& repo);

// The path of `name` in the folder `folder` of diffsmith_dir (created on
// demand), with '%' and '/' of `name` percent-encoded so a ref or run id is
// one file name: diffsmith_file(repo, "journal", "refs/diffsmith/x").
Result<std::string> diffsmith_file(Repository& repo, const std::string& folder, const std::string& name);

}  // namespace ds::git
