// What a run committed (`diffsmith run --commit` / `--branch NAME`), recorded
// so `diffsmith undo` can take the commit back: a small file
// <the work tree's diffsmith dir>/commits/<run-id>, written (atomically)
// after the commit object exists and before any ref moves. A run killed in
// between leaves a record whose branch never moved: undo then sees the
// commit as not on the branch and has nothing to take back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

struct RunCommit {
  std::string commit;           // the run's commit
  std::string branch;           // the branch it went on, "refs/heads/NAME"
  bool created_branch = false;  // --branch: the run created that branch
  std::string previous_tip;     // the commit it was made on (the branch's tip, or HEAD's); "" if none
  std::string previous_head;    // HEAD before: "refs/heads/NAME", or a commit id when detached
  bool undone = false;          // `undo` took the commit back
};

// Writes (atomically) the record of run `run_id`'s commit; commit_run_changes
// (commit.hpp) calls it between the commit and the move of the refs.
Status write_run_commit(Repository& repo, const std::string& run_id, const RunCommit& c);

// The record of run `run_id`; std::nullopt when the run committed nothing.
Result<std::optional<RunCommit>> read_run_commit(Repository& repo, const std::string& run_id);

enum class CommitState {
  OnBranch,  // the branch still points at the run's commit and HEAD is on it: undo can take it back
  Undone,    // already taken back (or the commit never reached the branch)
  Moved,     // the user moved on (commits on top, a reset, a switch): undo refuses
};

struct CommitCheck {
  CommitState state = CommitState::Undone;
  std::string why;  // for Moved: what happened and what to do by hand
};

CommitCheck check_run_commit(Repository& repo, const RunCommit& c);

// Takes back a commit in state OnBranch: the branch moves back to
// previous_tip (a branch the run created is deleted and HEAD goes back to
// previous_head), the index entries of the commit's paths go back to
// previous_tip's, and the record is marked undone. The work tree is not
// touched. Returns one sentence saying what moved.
Result<std::string> undo_run_commit(Repository& repo, const std::string& run_id, RunCommit& c);

}  // namespace ds::git
