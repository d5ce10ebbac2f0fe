// Writing planned edits to the work tree: an exact git patch (built by
// edit::unified_diff) applied with libgit2 in one atomic step, then checked
// byte for byte.
#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "edit/plan.hpp"
#include "git/repository.hpp"

namespace ds::git {

// Applies `changes` (whole before/after contents, repository-relative paths)
// to the work tree, all or nothing. Before writing, every file must still
// hold `before` (kStale otherwise) and every path must be safe
// (kPathRefused). After writing, every file holds exactly `after`, deleted
// ones are gone (kVerifyFailed otherwise, with the work tree rolled back).
// Files keep their permission bits; new files get 0666 minus the umask.
//
// Most files go through git_apply(GIT_APPLY_LOCATION_WORKDIR). Files that
// git's attributes filter (eol=crlf, text with core.autocrlf, ident) are
// written directly (temp file + rename): libgit2 applies the patch to the
// filtered text and re-filters the result, so a patch made from the raw bytes
// would not apply, or would change line endings behind the planner's back.
Status apply_changes(Repository& repo, const std::vector<edit::FileChange>& changes);

// The patch text apply_changes hands to libgit2 (edit::unified_diff with
// normalised paths); errors only for invalid paths.
Result<std::string> patch_for(const std::vector<edit::FileChange>& changes);

}  // namespace ds::git
