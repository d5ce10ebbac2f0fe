// scratch_worktree: init, alternates, index from the tree, HEAD, files.
#include "git/scratch.hpp"

#include <fstream>

#include "git/export_tree.hpp"
#include "git/handles.hpp"
#include "git/init.hpp"
#include "git/scratch_git.hpp"

namespace ds::git {

Result<Repository> init_scratch_git(Repository& repo, const std::string& commit, const std::string& dir) {
  {
    auto created = init_repository(dir);
    if (!created.ok()) return created.error();
    std::ofstream alternates(created->common_dir() + "/objects/info/alternates", std::ios::trunc);
    alternates << repo.common_dir() << "/objects\n";
    if (!alternates.flush()) return make_error("cannot write the alternates of " + dir, ErrorKind::IoError);
  }
  auto scratch = Repository::open(dir);  // reopened: the alternates are read on open
  if (!scratch.ok()) return scratch.error();
  git_oid oid;
  if (git_oid_fromstr(&oid, commit.c_str()) != 0) return git_failure("not a commit id: " + commit);
  if (git_repository_set_head_detached(scratch->raw(), &oid) != 0)
    return git_failure("cannot set HEAD of " + dir);
  return scratch;
}

Result<Repository> scratch_worktree(Repository& repo, const std::string& commit, const std::string& dir) {
  if (Status st = export_tree(repo, commit, dir); !st.ok()) return st.error();
  auto scratch = init_scratch_git(repo, commit, dir);
  if (!scratch.ok()) return scratch.error();
  git_oid oid;
  if (git_oid_fromstr(&oid, commit.c_str()) != 0) return git_failure("not a commit id: " + commit);
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, scratch->raw(), &oid) != 0) return git_failure("cannot read commit " + commit);
  CommitPtr cp(c);
  git_tree* t = nullptr;
  if (git_commit_tree(&t, c) != 0) return git_failure("cannot read the tree of " + commit);
  TreePtr tp(t);
  git_index* idx = nullptr;
  if (git_repository_index(&idx, scratch->raw()) != 0) return git_failure("cannot open the index of " + dir);
  IndexPtr ip(idx);
  if (git_index_read_tree(idx, t) != 0 || git_index_write(idx) != 0)
    return git_failure("cannot write the index of " + dir);
  return scratch;
}

}  // namespace ds::git
