// commit_changes: HEAD's tree + the changed paths (in a private index) ->
// commit; the real index gets the same paths; optional new branch + HEAD.
#include "git/commit.hpp"

#include <sys/stat.h>

#include "git/handles.hpp"
#include "git/run_commit.hpp"
#include "text/repo_paths.hpp"

namespace ds::git {
namespace {

bool exists_on_disk(const std::string& abs) {
  struct stat st;
  return ::lstat(abs.c_str(), &st) == 0 && !S_ISDIR(st.st_mode);
}

// The index entry the real index got for `path` after add_bypath (the blob
// there went through git's clean filters, as `git add` does).
Status copy_entry(git_index* from, git_index* to, const std::string& path) {
  const git_index_entry* e = git_index_get_bypath(from, path.c_str(), 0);
  if (!e) return make_error("'" + path + "' is missing from the index after adding it", ErrorKind::GitError);
  git_index_entry copy{};
  copy.path = e->path;
  copy.mode = e->mode;
  copy.id = e->id;
  if (git_index_add(to, &copy) != 0) return git_failure("cannot stage '" + path + "' for the commit");
  return Ok{};
}

// What HEAD names: "refs/heads/NAME" (also when that branch is unborn), or
// "" when HEAD is detached.
Result<std::string> head_target(Repository& repo) {
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, repo.raw(), "HEAD") != 0) return git_failure("cannot read HEAD");
  ReferencePtr head(raw);
  if (git_reference_type(raw) != GIT_REFERENCE_SYMBOLIC) return std::string();
  return std::string(git_reference_symbolic_target(raw));
}

}  // namespace

Status check_commit_target(Repository& repo, const std::string& new_branch) {
  ensure_libgit2();
  if (!new_branch.empty()) {
    std::string branch_ref = "refs/heads/" + new_branch;
    int valid = 0;
    git_reference_name_is_valid(&valid, branch_ref.c_str());
    if (!valid)
      return make_error("invalid branch name '" + new_branch + "'; pick another --branch name",
                        ErrorKind::GitError);
    git_oid ignored;
    if (git_reference_name_to_id(&ignored, repo.raw(), branch_ref.c_str()) == 0)
      return make_error("branch '" + new_branch + "' already exists; pick another --branch name",
                        ErrorKind::Exists);
    return Ok{};
  }
  if (git_repository_head_detached(repo.raw()) == 1)
    return make_error(
        "HEAD is detached, so --commit has no branch to commit on; check out a branch or use "
        "--branch NAME",
        ErrorKind::GitError);
  return Ok{};
}

Status check_head_on_branch(Repository& repo, const std::string& branch) {
  ensure_libgit2();
  auto head = head_target(repo);
  if (!head) return head.error();
  if (*head == "refs/heads/" + branch) return Ok{};
  std::string where =
      head->empty() ? "detached" : "on branch " + head->substr(head->rfind("refs/heads/", 0) == 0 ? 11 : 0);
  return make_error("HEAD is " + where + ", not on branch '" + branch + "'", ErrorKind::Stale);
}

Result<std::string> commit_changes(Repository& repo, const std::vector<std::string>& paths_changed,
                                   const std::string& message, const std::string& new_branch) {
  auto c = prepare_commit(repo, paths_changed, message, new_branch);
  if (!c) return c.error();
  if (Status st = publish_commit(repo, *c, message); !st.ok()) return st.error();
  return c->commit;
}

Result<std::string> commit_run_changes(Repository& repo, const std::string& run_id,
                                       const std::vector<std::string>& paths_changed,
                                       const std::string& message, const std::string& new_branch) {
  auto c = prepare_commit(repo, paths_changed, message, new_branch);
  if (!c) return c.error();
  RunCommit record{c->commit, c->branch_ref, c->new_branch, c->parent, c->head_before, false};
  if (Status st = write_run_commit(repo, run_id, record); !st.ok())
    return make_error("cannot record the run's commit (so that `diffsmith undo` can take it back): " +
                          st.error().message + "; nothing was committed",
                      st.error().kind);
  if (Status st = publish_commit(repo, *c, message); !st.ok()) return st.error();
  return c->commit;
}

Result<PreparedCommit> prepare_commit(Repository& repo, const std::vector<std::string>& paths_changed,
                                      const std::string& message, const std::string& new_branch) {
  if (Status st = check_commit_target(repo, new_branch); !st.ok()) return st.error();
  PreparedCommit out;
  auto head_ref = head_target(repo);
  if (!head_ref) return head_ref.error();
  out.new_branch = !new_branch.empty();
  out.branch_ref = out.new_branch ? "refs/heads/" + new_branch : *head_ref;

  std::vector<std::string> paths;
  for (const auto& p : paths_changed) {
    auto rel = text::normalize_repo_path(p);
    if (!rel) return make_error(rel.error().message, ErrorKind::PathRefused);
    paths.push_back(*rel);
  }

  // HEAD (nullptr when the branch has no commits yet).
  CommitPtr head;
  git_oid head_id;
  int rc = git_reference_name_to_id(&head_id, repo.raw(), "HEAD");
  if (rc == 0) {
    git_commit* c = nullptr;
    if (git_commit_lookup(&c, repo.raw(), &head_id) != 0) return git_failure("cannot read HEAD's commit");
    head.reset(c);
  } else if (rc != GIT_ENOTFOUND && rc != GIT_EUNBORNBRANCH) {
    return git_failure("cannot resolve HEAD in " + repo.root());
  }

  // The real index: stage exactly these paths, write it.
  git_index* real_raw = nullptr;
  if (git_repository_index(&real_raw, repo.raw()) != 0) return git_failure("cannot open the index");
  IndexPtr real(real_raw);
  if (git_index_read(real_raw, 0) != 0) return git_failure("cannot read the index");
  for (const auto& path : paths) {
    bool present = exists_on_disk(repo.root() + "/" + path);
    rc = present ? git_index_add_bypath(real_raw, path.c_str())
                 : git_index_remove_bypath(real_raw, path.c_str());
    if (rc != 0) return git_failure("cannot stage '" + path + "'");
  }
  if (git_index_write(real_raw) != 0) return index_failure(repo, "cannot write the index of " + repo.root());

  // The commit's tree: HEAD's tree with only these paths replaced.
  git_index* mem_raw = nullptr;
  if (git_index_new(&mem_raw) != 0) return git_failure("cannot create an in-memory index");
  IndexPtr mem(mem_raw);
  if (head) {
    git_tree* t = nullptr;
    if (git_commit_tree(&t, head.get()) != 0) return git_failure("cannot read HEAD's tree");
    TreePtr tree(t);
    if (git_index_read_tree(mem_raw, t) != 0) return git_failure("cannot read HEAD's tree");
  }
  for (const auto& path : paths) {
    if (git_index_get_bypath(real_raw, path.c_str(), 0)) {
      Status st = copy_entry(real_raw, mem_raw, path);
      if (!st) return st.error();
    } else if (git_index_get_bypath(mem_raw, path.c_str(), 0) &&
               git_index_remove(mem_raw, path.c_str(), 0) != 0) {
      return git_failure("cannot remove '" + path + "' from the commit");
    }
  }
  git_oid tree_id;
  if (git_index_write_tree_to(&tree_id, mem_raw, repo.raw()) != 0)
    return git_failure("cannot write the commit tree");
  git_tree* tree_raw = nullptr;
  if (git_tree_lookup(&tree_raw, repo.raw(), &tree_id) != 0)
    return git_failure("cannot read the commit tree");
  TreePtr tree(tree_raw);

  auto sig = default_signature(repo);
  if (!sig) return sig.error();
  const git_commit* parents[] = {head.get()};
  git_oid commit_id;
  if (git_commit_create(&commit_id, repo.raw(), nullptr, sig->get(), sig->get(), nullptr, message.c_str(),
                        tree.get(), head ? 1 : 0, parents) != 0)
    return git_failure("cannot create the commit in " + repo.root());
  out.commit = oid_hex(commit_id);
  if (head) out.parent = oid_hex(head_id);
  out.head_before = head_ref->empty() ? out.parent : *head_ref;
  return out;
}

Status publish_commit(Repository& repo, const PreparedCommit& c, const std::string& message) {
  ensure_libgit2();
  git_oid commit_id, parent_id;
  if (git_oid_fromstr(&commit_id, c.commit.c_str()) != 0) return git_failure("bad commit id " + c.commit);
  bool has_parent = !c.parent.empty() && git_oid_fromstr(&parent_id, c.parent.c_str()) == 0;
  std::string first_line = message.substr(0, message.find('\n'));
  git_reference* ref = nullptr;
  if (c.new_branch) {
    if (git_reference_create(&ref, repo.raw(), c.branch_ref.c_str(), &commit_id, 0,
                             "diffsmith: new branch") != 0)
      return git_failure("cannot create branch '" + c.branch_ref.substr(11) + "'", ErrorKind::Exists);
    ReferencePtr owned(ref);
    // Only HEAD moves: the work tree already holds this commit's files.
    if (git_repository_set_head(repo.raw(), c.branch_ref.c_str()) != 0)
      return git_failure("cannot switch HEAD to '" + c.branch_ref.substr(11) + "'");
    return Ok{};
  }
  // The branch moves only from where the commit was made on (an unborn
  // branch: only if it is still unborn), as `git commit` does.
  std::string log = "commit: " + first_line;
  if (git_reference_create_matching(&ref, repo.raw(), c.branch_ref.c_str(), &commit_id, has_parent ? 1 : 0,
                                    has_parent ? &parent_id : nullptr, log.c_str()) != 0)
    return git_failure("cannot move " + c.branch_ref + " to the new commit (did it move meanwhile?)",
                       ErrorKind::Stale);
  ReferencePtr owned(ref);
  return Ok{};
}

}  // namespace ds::git
