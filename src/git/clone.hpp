// Cloning for the batch runner: a bare cache of a remote repository (cloned
// once, reused by every task on it), and a private work tree per task,
// checked out detached at the task's base commit. Sources are local paths,
// file:// URLs, or network URLs (https://github.com/owner/name).
#pragma once

#include <atomic>
#include <string>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

// `git clone --bare source dest`. The clone is made beside `dest` under a
// temporary name and renamed into place when complete, so `dest` either
// does not exist or is a whole clone, even after a crash. `cancel` (may be
// null) aborts a network transfer. ErrorKind::Exists when `dest` exists.
Status clone_bare(const std::string& source, const std::string& dest, const std::atomic<bool>* cancel);

// Fetches every ref of the "origin" remote of the repository at `path` (a
// bare cache) again, for commits made after it was cloned.
Status fetch_origin(const std::string& path, const std::atomic<bool>* cancel);

// A private work tree: clones `source` into `dest` (which must not exist or
// be empty; local sources share object files by hard links) and checks out
// `commit` detached — HEAD points at it, index and files match its tree.
// `commit` "" means the source's HEAD. When the commit is not reachable from
// the source's branches, every ref of the source (tags, pull refs, ...) is
// fetched once more before giving up with ErrorKind::NotFound.
Result<Repository> clone_checkout(const std::string& source, const std::string& dest,
                                  const std::string& commit, const std::atomic<bool>* cancel);

}  // namespace ds::git
