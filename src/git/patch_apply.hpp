// Raw patch texts that come from outside the edit engine (a SWE-bench
// test_patch, a prediction): apply one to the work tree with libgit2, list the
// paths it touches, split it per file, and check that it applies to a commit.
// Model-written diffs never come here (see DESIGN.md): only exact patches made
// by `git diff`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

// Applies `patch` (a `diff --git` patch made against the work tree's current
// contents) to the work tree, and to the index too when `update_index` (so new
// files count as tracked), all or nothing. ErrorKind::ApplyFailed when libgit2 cannot
// parse it or a hunk does not apply at its exact place; nothing is changed then.
Status apply_patch_text(Repository& repo, std::string_view patch, bool update_index);

// The repository-relative paths a patch touches (both sides of a rename),
// sorted, each once. ErrorKind::ApplyFailed when libgit2 cannot parse the patch.
Result<std::vector<std::string>> patch_paths(std::string_view patch);

struct PatchFile {
  std::string old_path, new_path;  // as libgit2 reads them (unquoted); equal unless renamed/added/deleted
  std::string text;                // this file's section, from its "diff --git" line on
};

// Cuts a `diff --git` patch into one section per file, in order. Text before
// the first "diff --git" line (a commit message, say) is dropped.
Result<std::vector<PatchFile>> split_patch(std::string_view patch);

// `patch` without the sections of files in `paths` (either side matching).
Result<std::string> patch_without(std::string_view patch, const std::vector<std::string>& paths);

// Whether `patch` applies cleanly to `rev`'s tree (git apply --check against
// that commit, in memory; the work tree and index are not touched). An empty
// patch applies. The error names the first file libgit2 refused.
Status check_patch_applies(Repository& repo, const std::string& rev, std::string_view patch);

}  // namespace ds::git
