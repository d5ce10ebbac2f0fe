// Repository: an open libgit2 repository with a work tree (RAII), found by
// walking up from a directory; the error kinds of the git layer; head_commit.
// <git2.h> stays out of this header: raw() hands out the libgit2 handle for
// the .cpp files that need it (see handles.hpp).
#pragma once

#include <cstdint>
#include <string>

#include "base/result.hpp"

struct git_repository;

namespace ds::git {

// The kinds of ds::git errors (ds::Error::kind). The commands map them to
// exit 4 where they mean "repository error" (agent/exit_code.hpp).
enum class ErrorKind : uint8_t {
  GitError,      // libgit2 failed; the message carries its text
  NotARepo,      // no repository at or above the directory
  Bare,          // the repository has no work tree
  PathRefused,   // unsafe, symlinked, binary, not a regular file, unreadable
  Stale,         // a file on disk differs from what the change was made against
  ApplyFailed,   // libgit2 refused the patch; nothing was changed
  VerifyFailed,  // applied, but the files do not hold the expected bytes (rolled back)
  Locked,        // another diffsmith run holds the work tree's lock, or a git lock file is in the way
  NotFound,      // a commit, ref or branch that does not exist
  Exists,        // a branch that already exists
  IoError,       // reading or writing a file or folder failed
};

constexpr ErrorLibrary error_library(ErrorKind) { return ErrorLibrary::Git; }

// Calls git_libgit2_init once per process (thread-safe); every entry point of
// this library calls it, so users need not.
void ensure_libgit2();

class Repository {
 public:
  // Opens the repository containing `dir` (searching parent folders).
  // Errors: ErrorKind::NotARepo ("not a git repository: /x (or any parent)"), ErrorKind::Bare.
  static Result<Repository> open(const std::string& dir);

  Repository(Repository&& other) noexcept;
  Repository& operator=(Repository&& other) noexcept;
  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;
  ~Repository();

  const std::string& root() const { return root_; }              // work tree, no trailing '/'
  const std::string& git_dir() const { return git_dir_; }        // .git (or worktree gitdir), no '/'
  const std::string& common_dir() const { return common_dir_; }  // shared .git, no '/'
  git_repository* raw() const { return repo_; }

  // Which work tree of the repository this is: "." for the main one,
  // "worktrees/<name>" (git_dir relative to common_dir) for a linked one.
  // Stays the same when the folders move. Runs, locks and undo belong to one.
  const std::string& worktree_id() const { return worktree_id_; }

  // The checkpoint ref (run) that writes made through this object belong
  // to: set by checkpoint(), read by apply_changes to journal its writes
  // (journal.hpp). "" before the first checkpoint.
  const std::string& journal_ref() const { return journal_ref_; }
  void set_journal_ref(std::string ref) { journal_ref_ = std::move(ref); }

 private:
  explicit Repository(git_repository* repo);
  git_repository* repo_ = nullptr;
  std::string root_, git_dir_, common_dir_, worktree_id_, journal_ref_;
};

// When this work tree's index.lock exists (a git command is running, or one
// was killed and left it), what to tell the user, with the exact command
// that removes it; "" when there is none. Editing and checkpoints do not
// need the index; committing (--commit, --branch) and `git` itself do.
// Errors from libgit2 about a lock in the way (git_failure) say the same,
// with kind ErrorKind::Locked.
std::string index_lock_problem(const Repository& repo);

// HEAD's commit id in hex, or "" when the current branch has no commits yet.
Result<std::string> head_commit(Repository& repo);

}  // namespace ds::git
