// The `.git` of a scratch work tree (scratch.hpp): a new repository at `dir`
// (its files not touched) borrowing `repo`'s objects, HEAD detached at
// `commit`, no index written.
#pragma once

#include <string>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

Result<Repository> init_scratch_git(Repository& repo, const std::string& commit, const std::string& dir);

}  // namespace ds::git
