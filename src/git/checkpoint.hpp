// Checkpoints: snapshots of the whole work tree (tracked files as they are on
// disk plus untracked, non-ignored files) as commits on hidden refs such as
// refs/diffsmith/<run-id>. The user's HEAD, branches and index are never
// touched. restore_worktree brings the work tree back to a checkpoint; that
// is how `diffsmith undo` works.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

// Snapshots the work tree byte for byte (no eol/ident filters) into a tree
// built in a private in-memory index, commits it with parent = `ref`'s
// current commit (else HEAD's commit, else none), points `ref` at it and
// returns the commit id. `ref` must be under refs/ and not under refs/heads/,
// refs/tags/ or refs/remotes/. The commit message gets the trailers
// "Diffsmith-Checkpoint: <ref>" (list_refs uses it to find the chain) and
// "Diffsmith-Worktree: <repo.worktree_id()>" (the work tree the run is in).
// Also makes `ref` the journal ref of `repo`: the writes apply_changes makes
// through it from now on are journaled for this run (journal.hpp).
// Work-tree files are only read: no index, no index.lock.
Result<std::string> checkpoint(Repository& repo, const std::string& ref, const std::string& message);

// Makes the work tree equal to `to_commit`'s tree for every path in either
// tree: writes files whose bytes or executable bit differ, deletes files that
// are in `from_commit` but not in `to_commit` (and folders left empty).
// Paths in neither tree (ignored files) are left alone. Files are replaced
// atomically. Continues past a failing file and reports all failures.
// Typical use: restore_worktree(repo, checkpoint(now), start_checkpoint).
Status restore_worktree(Repository& repo, const std::string& from_commit, const std::string& to_commit);

// Like restore_worktree, but only for `only` (nullptr: every path).
Status restore_paths(Repository& repo, const std::string& from_commit, const std::string& to_commit,
                     const std::vector<std::string>* only);

// Paths whose content or mode differs between the two commits' trees
// (present in one only, or different), sorted.
Result<std::vector<std::string>> changed_between(Repository& repo, const std::string& a_commit,
                                                 const std::string& b_commit);

struct CheckpointInfo {
  std::string commit;   // hex id
  int64_t time = 0;     // commit time, seconds since the epoch
  std::string message;  // without the Diffsmith-Checkpoint trailer
};

struct RunRef {
  std::string name;        // e.g. "refs/diffsmith/20240101-abcd"
  CheckpointInfo tip;      // the latest checkpoint
  CheckpointInfo first;    // the root-most checkpoint of this ref's chain
  std::string base;        // the commit `first` was made on; "" in an empty repository
  size_t checkpoints = 0;  // commits in the chain
  std::string worktree;    // Repository::worktree_id of the work tree the run was in
};

// Every ref under `prefix`, newest tip first.
Result<std::vector<RunRef>> list_refs(Repository& repo, const std::string& prefix = "refs/diffsmith/");

}  // namespace ds::git
