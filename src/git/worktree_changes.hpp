// What a command changed in the work tree: the work tree is snapshotted
// (as checkpoint() does: tracked and untracked files byte for byte, ignored
// files left out) into a commit on no ref, and compared with an earlier
// snapshot or checkpoint. This is how files written by the model's commands
// (`sed -i`, a formatter, a generated file) become edits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "diff/diff_limits.hpp"
#include "git/repository.hpp"

namespace ds::git {

// The work tree as it is now, as a commit id. The commit hangs on no ref
// (the scratch ref used to make it is removed again), so it is garbage to
// `git gc` once nothing refers to it; checkpoints made later reuse its blobs.
Result<std::string> snapshot_worktree(Repository& repo);

struct WorktreeChanges {
  std::vector<std::string> paths;  // changed, added or deleted; sorted; empty: nothing changed
  // since..after as git::diff_for_display writes it: `diff --git` sections,
  // and a note line instead for each binary file and file over the size
  // limit (their content is never read whole); "" when nothing changed.
  std::string diff;
  std::string after;  // the snapshot commit of the work tree now
};

// Snapshots the work tree and compares it with `since_commit` (a
// snapshot_worktree() commit taken before the command, or the run's last
// checkpoint). Ignored files (__pycache__/ under a .gitignore rule, build
// output) never count, because snapshots leave them out.
// Files over `max_diff_file_size` are named in `diff`, not shown.
Result<WorktreeChanges> worktree_changes(Repository& repo, const std::string& since_commit,
                                         uint64_t max_diff_file_size = diff::kDefaultMaxDiffFileSize);

}  // namespace ds::git
