// What `diffsmith undo` puts back for a run, whatever state the run left the
// work tree in: ended normally (its last checkpoint says what it changed) or
// killed mid-turn (the write journal says which files it was writing).
#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "git/checkpoint.hpp"
#include "git/repository.hpp"

namespace ds::worktree {

struct UndoPlan {
  // Files that differ now from the run's start and that the run changed:
  // restore_paths(now, run.first.commit, &restore) puts them back. Sorted.
  std::vector<std::string> restore;
  // Of those, the files whose present content is neither the run's start,
  // nor its last checkpoint, nor any content the run wrote: someone changed
  // them after the run. Undoing them would lose that work (needs --force).
  std::vector<std::string> changed_since;
};

// The files run `run` may have changed: those that differ between its first
// and last checkpoint, plus every file in its write journal. Sorted, once each.
Result<std::vector<std::string>> run_paths(git::Repository& repo, const git::RunRef& run);

// The plan for undoing `run`, given `now_commit`, a checkpoint of the work
// tree as it is now.
Result<UndoPlan> plan_undo(git::Repository& repo, const git::RunRef& run, const std::string& now_commit);

// Deletes what write_file_atomic left next to the files the run journaled
// when the process was killed mid-write; returns the removed paths
// (repository-relative).
std::vector<std::string> remove_killed_write_leftovers(git::Repository& repo, const git::RunRef& run);

}  // namespace ds::worktree
