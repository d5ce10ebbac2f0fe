// snapshot_worktree (checkpoint() on a scratch ref that is removed again)
// and worktree_changes (tree ids first; paths and diff only when they differ).
#include "git/worktree_changes.hpp"

#include <unistd.h>

#include <atomic>

#include "git/checkpoint.hpp"
#include "git/diff.hpp"
#include "git/handles.hpp"

namespace ds::git {
namespace {

// Not under refs/diffsmith/, so `diffsmith log` and list_refs never see it.
std::string scratch_ref() {
  static std::atomic<unsigned> counter{0};
  return "refs/diffsmith-scratch/" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
}

Result<git_oid> tree_of(Repository& repo, const std::string& commit) {
  git_oid id;
  if (git_oid_fromstr(&id, commit.c_str()) != 0)
    return make_error("'" + commit + "' is not a commit id", ErrorKind::GitError);
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repo.raw(), &id) != 0) return git_failure("cannot read commit " + commit);
  CommitPtr c(raw);
  return *git_commit_tree_id(raw);
}

}  // namespace

Result<std::string> snapshot_worktree(Repository& repo) {
  std::string ref = scratch_ref();
  auto commit = checkpoint(repo, ref, "diffsmith: work tree snapshot");
  int rc = git_reference_remove(repo.raw(), ref.c_str());
  if (!commit.ok()) return commit;
  if (rc != 0 && rc != GIT_ENOTFOUND) return git_failure("cannot remove the scratch ref " + ref);
  return commit;
}

Result<WorktreeChanges> worktree_changes(Repository& repo, const std::string& since_commit,
                                         uint64_t max_diff_file_size) {
  auto before = tree_of(repo, since_commit);
  if (!before.ok()) return before.error();
  auto now = snapshot_worktree(repo);
  if (!now.ok()) return now.error();
  WorktreeChanges out;
  out.after = *now;
  auto after = tree_of(repo, *now);
  if (!after.ok()) return after.error();
  if (git_oid_equal(&*before, &*after)) return out;
  auto paths = changed_between(repo, since_commit, *now);
  if (!paths.ok()) return paths.error();
  out.paths = std::move(*paths);
  auto diff = diff_for_display(repo, since_commit, *now, max_diff_file_size);
  if (!diff.ok()) return diff.error();
  out.diff = std::move(diff->text);
  return out;
}

}  // namespace ds::git
