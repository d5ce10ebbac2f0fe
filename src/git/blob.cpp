// file_at_commit through libgit2's tree lookup.
#include "git/blob.hpp"

#include <git2.h>

#include "git/blob_stream.hpp"
#include "git/handles.hpp"

namespace ds::git {

namespace {

using EntryPtr = Handle<git_tree_entry, git_tree_entry_free>;

// The blob entry of `path` in `commit`; an empty pointer when the path is not
// a blob there.
Result<EntryPtr> blob_entry(Repository& repo, const std::string& commit, const std::string& path) {
  git_oid oid;
  if (git_oid_fromstr(&oid, commit.c_str()) != 0)
    return make_error("not a commit id: '" + commit + "'", ErrorKind::NotFound);
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, repo.raw(), &oid) != 0)
    return make_error("no commit " + commit, ErrorKind::NotFound);
  CommitPtr commit_ptr(c);
  git_tree* t = nullptr;
  if (git_commit_tree(&t, c) != 0)
    return make_error("cannot read the tree of commit " + commit, ErrorKind::GitError);
  TreePtr tree(t);
  git_tree_entry* e = nullptr;
  int rc = git_tree_entry_bypath(&e, t, path.c_str());
  if (rc == GIT_ENOTFOUND) return EntryPtr();
  if (rc != 0) return make_error("cannot look up " + path + " in commit " + commit, ErrorKind::GitError);
  EntryPtr entry(e);
  if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) return EntryPtr();
  return entry;
}

}  // namespace

Result<std::optional<std::string>> blob_id_at_commit(Repository& repo, const std::string& commit,
                                                     const std::string& path) {
  auto entry = blob_entry(repo, commit, path);
  if (!entry) return entry.error();
  if (!*entry) return std::optional<std::string>();
  return std::optional<std::string>(oid_hex(*git_tree_entry_id(entry->get())));
}

Result<std::optional<BlobInfo>> blob_info_at_commit(Repository& repo, const std::string& commit,
                                                    const std::string& path) {
  auto entry = blob_entry(repo, commit, path);
  if (!entry) return entry.error();
  if (!*entry) return std::optional<BlobInfo>();
  auto size = blob_size(repo, *git_tree_entry_id(entry->get()));
  if (!size) return size.error();
  return std::optional<BlobInfo>(BlobInfo{oid_hex(*git_tree_entry_id(entry->get())), *size});
}

Result<std::optional<std::string>> file_at_commit(Repository& repo, const std::string& commit,
                                                  const std::string& path) {
  auto entry = blob_entry(repo, commit, path);
  if (!entry) return entry.error();
  if (!*entry) return std::optional<std::string>();
  git_tree_entry* e = entry->get();
  git_blob* b = nullptr;
  if (git_blob_lookup(&b, repo.raw(), git_tree_entry_id(e)) != 0)
    return make_error("cannot read " + path + " in commit " + commit, ErrorKind::GitError);
  BlobPtr blob(b);
  const char* data = static_cast<const char*>(git_blob_rawcontent(b));
  return std::optional<std::string>(std::string(data, static_cast<size_t>(git_blob_rawsize(b))));
}

}  // namespace ds::git
