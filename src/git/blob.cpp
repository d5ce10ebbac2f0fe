// file_at_commit through libgit2's tree lookup.
#include "git/blob.hpp"

#include <git2.h>

#include "git/handles.hpp"

namespace ds::git {

Result<std::optional<std::string>> file_at_commit(Repository& repo, const std::string& commit,
                                                  const std::string& path) {
  git_oid oid;
  if (git_oid_fromstr(&oid, commit.c_str()) != 0)
    return make_error("not a commit id: '" + commit + "'", kNotFound);
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, repo.raw(), &oid) != 0) return make_error("no commit " + commit, kNotFound);
  CommitPtr commit_ptr(c);
  git_tree* t = nullptr;
  if (git_commit_tree(&t, c) != 0) return make_error("cannot read the tree of commit " + commit, kGitError);
  TreePtr tree(t);
  git_tree_entry* e = nullptr;
  int rc = git_tree_entry_bypath(&e, t, path.c_str());
  if (rc == GIT_ENOTFOUND) return std::optional<std::string>();
  if (rc != 0) return make_error("cannot look up " + path + " in commit " + commit, kGitError);
  std::unique_ptr<git_tree_entry, void (*)(git_tree_entry*)> entry(e, git_tree_entry_free);
  if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) return std::optional<std::string>();
  git_blob* b = nullptr;
  if (git_blob_lookup(&b, repo.raw(), git_tree_entry_id(e)) != 0)
    return make_error("cannot read " + path + " in commit " + commit, kGitError);
  BlobPtr blob(b);
  const char* data = static_cast<const char*>(git_blob_rawcontent(b));
  return std::optional<std::string>(std::string(data, static_cast<size_t>(git_blob_rawsize(b))));
}

}  // namespace ds::git
