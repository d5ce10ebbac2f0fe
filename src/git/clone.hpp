// Cloning for the batch runner: a bare cache of a remote repository (cloned
// once, reused by every task on it), and a private work tree per task,
// checked out detached at the task's base commit with nothing after it. Sources are local paths,
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

// A private work tree holding only the base's history: a new repository in
// `dest` (which must not exist or be empty) whose object store is one pack of
// the objects `commit` reaches, with no refs besides HEAD, detached at
// `commit`, index and files matching its tree. Nothing of the source's later
// commits, branches or tags reaches it (`git log --all` ends at the base).
// `source` is a local repository (bare or not; "file://" accepted); any
// commit in its object store can be checked out, whatever ref reaches it.
// `commit` "" means the source's HEAD. ErrorKind::NotFound when the commit
// is not in the source.
Result<Repository> clone_checkout(const std::string& source, const std::string& dest,
                                  const std::string& commit, const std::atomic<bool>* cancel);

}  // namespace ds::git
