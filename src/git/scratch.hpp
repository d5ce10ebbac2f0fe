// A scratch work tree of a commit: a repository of its own at `dir` that
// borrows `repo`'s objects (objects/info/alternates, nothing copied), with
// HEAD detached at the commit, its index read from the commit's tree (no file
// hashed) and the tree's files written out (export_tree). For best-of-N
// attempts: each works, checkpoints and diffs in its own tree, and `repo`'s
// work tree, index, HEAD and refs are never touched.
#pragma once

#include <string>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

// A new scratch tree; `dir` must not exist or be empty.
Result<Repository> scratch_worktree(Repository& repo, const std::string& commit, const std::string& dir);

// The saved index of a reusable scratch tree: next to it, outside the folder
// (whatever ran in the folder cannot have changed it).
std::string scratch_saved_index(const std::string& dir);

// What a reset moved out of `dir` (a rename is cheap where removing files is
// not): `dir + ".trash"`, removed by purge_scratch_trash, e.g. in the
// background while an attempt runs in `dir`, never during a reset of `dir`.
std::string scratch_trash(const std::string& dir);
void purge_scratch_trash(const std::string& dir);

// A scratch tree at `dir` holding exactly `commit`'s tree, reusing what is
// there: when `dir` is a scratch tree this made before (its saved index
// exists), `.git` is made anew (config, HEAD, alternates, index; objects and
// refs of the previous use dropped) and the files are compared with the saved
// index by lstat alone: what is not in the tree goes to the trash
// (untracked, ignored, links or files in place of folders), and a file whose stat data differs
// (size, mode, mtime, ctime, inode, owner), whose blob changed, or that was
// written in the same clock tick as the saved index (racily clean) is written
// again from the blob (in place when it is a regular file with one link).
// Nothing is ever written through a symbolic link or a hard link.
// Otherwise (first use, or `.git` not a real folder) `dir` is removed and
// made with scratch_worktree, and its index saved.
Result<Repository> reset_scratch_worktree(Repository& repo, const std::string& commit,
                                          const std::string& dir);

struct ScratchResetStats {
  bool rebuilt = false;  // made from scratch
  size_t removed = 0;    // entries removed (untracked, ignored, wrong kind)
  size_t rewritten = 0;  // files written again
};

// reset_scratch_worktree, saying what it did.
Result<Repository> reset_scratch_worktree(Repository& repo, const std::string& commit, const std::string& dir,
                                          ScratchResetStats& stats);

}  // namespace ds::git
