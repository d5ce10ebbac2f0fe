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

Result<std::string> commit_changes(Repository& repo, const std::vector<std::string>& paths_changed,
                                   const std::string& message, const std::string& new_branch);

}  // namespace ds::git
