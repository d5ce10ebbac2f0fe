// Writing planned edits to the work tree: every file replaced atomically
// (temp file + rename), journaled first for `diffsmith undo`, then checked
// byte for byte.
#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "edit/plan.hpp"
#include "git/repository.hpp"

namespace ds::worktree {

// Applies `changes` (whole before/after contents, repository-relative paths)
// to the work tree, all or nothing. Before writing, every file must still
// hold `before` (ErrorKind::Stale otherwise) and every path must be safe
// (ErrorKind::PathRefused). After writing, every file holds exactly `after`, deleted
// ones are gone (ErrorKind::VerifyFailed otherwise, with the work tree rolled back).
// Files keep their permission bits; new files get 0666 minus the umask.
//
// Files are written as raw bytes with write_file_atomic: a process killed at
// any moment leaves each file old or new, never half written. The index is
// neither read nor locked, so a conflicted index (a merge or rebase in
// progress) or a stale .git/index.lock does not block edits. Before the
// first write the paths and new blob ids go to the write journal of
// repo.journal_ref() (journal.hpp).
Status apply_changes(git::Repository& repo, const std::vector<edit::FileChange>& changes);

// The patch text apply_changes hands to libgit2 (diff::unified_diff with
// normalised paths); errors only for invalid paths.
Result<std::string> patch_for(const std::vector<edit::FileChange>& changes);

}  // namespace ds::worktree
