// One diffsmith run per work tree: a lock file .git/diffsmith/lock holding
// the owner's pid, replaced when that process is gone.
#pragma once

#include <string>

#include "base/result.hpp"
#include "git/diffsmith_dir.hpp"
#include "git/repository.hpp"

namespace ds::worktree {

class RepoLock {
 public:
  // Creates the lock file with O_CREAT|O_EXCL. A lock whose process is dead
  // (or whose pid now belongs to a process started later) is stale and is
  // replaced; a live one is ErrorKind::Locked: "another diffsmith run (pid N) is
  // working in this work tree (<root>)".
  static Result<RepoLock> acquire(git::Repository& repo);

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

}  // namespace ds::worktree
