// A commit's tree written out to a folder of its own: a scratch work tree
// (the base of a run, for checking a reproduction against the unchanged
// code). Byte for byte as stored (no eol or ident filters, as checkpoints
// store them); the repository's index, HEAD and work tree are not touched.
#pragma once

#include <string>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

// Writes every file of `commit`'s tree under `dir` (created; must not
// exist or be empty). Symlinks are written as links; submodules as empty
// folders.
Status export_tree(Repository& repo, const std::string& commit, const std::string& dir);

}  // namespace ds::git
