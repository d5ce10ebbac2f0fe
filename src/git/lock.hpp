// One diffsmith run per work tree: a lock file .git/diffsmith/lock holding
// the owner's pid, replaced when that process is gone. Also where diffsmith
// keeps its per-work-tree files (diffsmith_dir).
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

class RepoLock {
 public:
  // Creates the lock file with O_CREAT|O_EXCL. A lock whose process is dead
  // (or whose pid now belongs to a process started later) is stale and is
  // replaced; a live one is ErrorKind::Locked: "another diffsmith run (pid N) is
  // working in this work tree (<root>)".
  static Result<RepoLock> acquire(Repository& repo);

  RepoLock(RepoLock&& other) noexcept;
  RepoLock& operator=(RepoLock&& other) noexcept;
  RepoLock(const RepoLock&) = delete;
  RepoLock& operator=(const RepoLock&) = delete;
  ~RepoLock() { release(); }

  // Removes the lock file if it is still ours. Idempotent.
  void release();
  const std::string& path() const { return path_; }

 private:
  explicit RepoLock(std::string path, std::string content)
      : path_(std::move(path)), content_(std::move(content)) {}
  std::string path_;     // empty once released or moved from
  std::string content_;  // what we wrote, to recognise our own lock
};

}  // namespace ds::git
