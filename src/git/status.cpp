// tracked_files and dirty_paths over the real index (read, never written).
#include "git/status.hpp"

#include <algorithm>

#include "git/handles.hpp"

namespace ds::git {

Result<std::vector<std::string>> tracked_files(Repository& repo) {
  ensure_libgit2();
  git_index* raw = nullptr;
  if (git_repository_index(&raw, repo.raw()) != 0)
    return git_failure("cannot read the index of " + repo.root());
  IndexPtr index(raw);
  if (git_index_read(raw, 0) != 0) return git_failure("cannot read the index of " + repo.root());
  std::vector<std::string> paths;
  size_t n = git_index_entrycount(raw);
  paths.reserve(n);
  for (size_t i = 0; i < n; ++i) paths.emplace_back(git_index_get_byindex(raw, i)->path);
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  return paths;
}

Result<std::vector<std::string>> dirty_paths(Repository& repo) {
  ensure_libgit2();
  git_index* index_raw = nullptr;
  if (git_repository_index(&index_raw, repo.raw()) != 0)
    return git_failure("cannot read the index of " + repo.root());
  IndexPtr index(index_raw);
  if (git_index_read(index_raw, 0) != 0) return git_failure("cannot read the index of " + repo.root());
  git_status_options opts = GIT_STATUS_OPTIONS_INIT;
  opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
  opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;  // no untracked, no ignored
  git_status_list* raw = nullptr;
  if (git_status_list_new(&raw, repo.raw(), &opts) != 0)
    return git_failure("cannot compute the status of " + repo.root());
  StatusListPtr list(raw);
  std::vector<std::string> paths;
  for (size_t i = 0, n = git_status_list_entrycount(raw); i < n; ++i) {
    const git_status_entry* e = git_status_byindex(raw, i);
    // Untracked/ignored alone are not dirty; "deleted from the index, still on
    // disk" (git rm --cached) shows as INDEX_DELETED | WT_NEW and is.
    if ((e->status & ~(GIT_STATUS_WT_NEW | GIT_STATUS_IGNORED)) == 0) continue;
    // libgit2 knows no sparse checkout: a file outside the sparse cone
    // (skip-worktree in the index, absent on disk) shows as deleted. git
    // itself ignores the work tree for such files; so do we.
    if ((e->status & ~GIT_STATUS_WT_DELETED) == 0 && e->index_to_workdir &&
        is_skip_worktree(index_raw, e->index_to_workdir->old_file.path))
      continue;
    for (const git_diff_delta* d : {e->head_to_index, e->index_to_workdir}) {
      if (!d) continue;
      if (d->old_file.path) paths.emplace_back(d->old_file.path);
      if (d->new_file.path) paths.emplace_back(d->new_file.path);
    }
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  return paths;
}

}  // namespace ds::git
