// Creating a repository: `git init` for a folder (used by `diffsmith demo`
// and by tests).
#pragma once

#include <string>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

// Creates a repository with a work tree at `dir` (and `dir` itself if
// missing) and opens it. An existing repository there is reopened, not
// re-initialised. The first branch is named "main".
Result<Repository> init_repository(const std::string& dir);

}  // namespace ds::git
