// RAII owners for libgit2 handles and the helpers every git/*.cpp shares:
// turning libgit2's last error into a ds::Error, oid <-> hex. Included only by
// src/git/*.cpp, so <git2.h> does not spread.
#pragma once

#include <git2.h>

#include <memory>
#include <string>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const {
    if (p) Free(p);
  }
};
template <class T, void (*Free)(T*)>
using Handle = std::unique_ptr<T, Deleter<T, Free>>;

using BlobPtr = Handle<git_blob, git_blob_free>;
using CommitPtr = Handle<git_commit, git_commit_free>;
using ConfigPtr = Handle<git_config, git_config_free>;
using DiffPtr = Handle<git_diff, git_diff_free>;
using IndexPtr = Handle<git_index, git_index_free>;
using ObjectPtr = Handle<git_object, git_object_free>;
using ReferencePtr = Handle<git_reference, git_reference_free>;
using RefIteratorPtr = Handle<git_reference_iterator, git_reference_iterator_free>;
using RepositoryPtr = Handle<git_repository, git_repository_free>;
using SignaturePtr = Handle<git_signature, git_signature_free>;
using StatusListPtr = Handle<git_status_list, git_status_list_free>;
using TreePtr = Handle<git_tree, git_tree_free>;
using FilterListPtr = Handle<git_filter_list, git_filter_list_free>;

// A git_buf that is disposed of.
struct Buf {
  git_buf buf = GIT_BUF_INIT;
  Buf() = default;
  Buf(const Buf&) = delete;
  Buf& operator=(const Buf&) = delete;
  ~Buf() { git_buf_dispose(&buf); }
  std::string str() const { return buf.ptr ? std::string(buf.ptr, buf.size) : std::string(); }
};

// "<what>: <libgit2's message>" with `kind`; ErrorKind::Locked, with the command that
// removes the lock, when libgit2 failed because a lock file was in the way.
Error git_failure(const std::string& what, ErrorKind kind = ErrorKind::GitError);

// git_failure for an operation that writes the index: when the work tree's
// index.lock exists, says so with the command that removes it (ErrorKind::Locked).
Error index_failure(const Repository& repo, const std::string& what, ErrorKind kind = ErrorKind::GitError);

std::string oid_hex(const git_oid& oid);

// Parses a full hex id or any revision git understands ("HEAD", a branch, a
// ref) and peels it to a commit.
Result<CommitPtr> find_commit(Repository& repo, const std::string& rev);

// The tree of find_commit(rev); an empty TreePtr (the empty tree) for "".
Result<TreePtr> find_tree(Repository& repo, const std::string& rev);

// True when `path` has the skip-worktree bit in `index` (outside a sparse
// checkout's cone: git ignores the work tree for it).
bool is_skip_worktree(git_index* index, const char* path);

// "diffsmith <diffsmith@localhost>" unless git config names the user.
Result<SignaturePtr> default_signature(Repository& repo);

}  // namespace ds::git
