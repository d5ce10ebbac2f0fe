// Committing a run's result for `--commit` / `--branch NAME`: exactly the
// files the run changed, on the current branch or on a new one.
#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

// Commits the work-tree state of exactly `paths_changed` (added, modified or
// deleted; repository-relative) on top of HEAD. The commit's tree is HEAD's
// tree with only those paths replaced, so other changes the user staged are
// not swept in (they stay staged). The real index is updated for those paths
// and written. With `new_branch` non-empty, the branch is created at HEAD,
// the commit goes there, and HEAD is switched to it without touching any
// other file (ErrorKind::Exists if the branch exists). Author and committer come from
// git config, else "diffsmith <diffsmith@localhost>". Returns the commit id.
// Whether commit_changes can succeed before any work is done: a valid
// `new_branch` that does not exist yet, or (without one) HEAD on a branch.
Status check_commit_target(Repository& repo, const std::string& new_branch);

// Whether a commit on the current branch lands on the existing branch
// `branch` (a follow-up committing onto the branch its conversation made):
// HEAD must be on it. ErrorKind::Stale, saying where HEAD is, when not.
Status check_head_on_branch(Repository& repo, const std::string& branch);

Result<std::string> commit_changes(Repository& repo, const std::vector<std::string>& paths_changed,
                                   const std::string& message, const std::string& new_branch);

// commit_changes in two steps, so a caller can record the commit before any
// ref moves (run_commit.hpp): prepare_commit stages the paths in the real
// index and writes the commit object; publish_commit moves the refs.
struct PreparedCommit {
  std::string commit;       // hex id of the new commit (no ref points at it yet)
  std::string branch_ref;   // the branch it goes on, "refs/heads/NAME"
  bool new_branch = false;  // the branch is created (--branch)
  std::string parent;       // the commit it is made on (HEAD's); "" on an unborn branch
  std::string
      head_before;  // HEAD before: the branch it names ("refs/heads/main"), or a commit id if detached
};

Result<PreparedCommit> prepare_commit(Repository& repo, const std::vector<std::string>& paths_changed,
                                      const std::string& message, const std::string& new_branch);

// commit_changes for run `run_id` of `diffsmith run`: the commit is recorded
// (run_commit.hpp) after it is made and before any ref moves, so
// `diffsmith undo` can take it back even after a kill at any moment.
Result<std::string> commit_run_changes(Repository& repo, const std::string& run_id,
                                       const std::vector<std::string>& paths_changed,
                                       const std::string& message, const std::string& new_branch);

// Points the branch at the commit, only if it is still where prepare_commit
// found it (ErrorKind::Stale otherwise); a new branch is created and HEAD switched to it.
Status publish_commit(Repository& repo, const PreparedCommit& c, const std::string& message);

}  // namespace ds::git
