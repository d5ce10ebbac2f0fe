// Repository::open (discovery, bare check), libgit2 initialisation, the
// shared handle helpers of handles.hpp, head_commit.
#include "git/repository.hpp"

#include <unistd.h>

#include <filesystem>
#include <mutex>

#include "git/handles.hpp"

namespace ds::git {
namespace {

std::string without_trailing_slash(const char* p) {
  std::string s = p ? p : "";
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

void ensure_libgit2() {
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });  // never shut down: handles may outlive main
}

// libgit2 reports a lock file in the way as "failed to create locked file
// '<path>.lock': File exists"; returns <path>.lock, or "".
std::string lock_in_the_way(const std::string& text) {
  const std::string key = "failed to create locked file '";
  auto at = text.find(key);
  if (at == std::string::npos || text.find("exists", at) == std::string::npos) return "";
  at += key.size();
  auto end = text.find('\'', at);
  return end == std::string::npos ? "" : text.substr(at, end - at);
}

std::string lock_advice(const std::string& lock_path) {
  return lock_path +
         " exists: a git command is running in this repository, or one was killed and left it behind. If no "
         "git command is running, remove it with: rm -f '" +
         lock_path + "'";
}

Error git_failure(const std::string& what, ErrorKind kind) {
  const git_error* e = git_error_last();
  std::string msg = what;
  if (e && e->message) {
    msg += ": " + std::string(e->message);
    std::string lock = lock_in_the_way(e->message);
    if (!lock.empty()) return make_error(msg + ". " + lock_advice(lock), ErrorKind::Locked);
  }
  return make_error(msg, kind);
}

Error index_failure(const Repository& repo, const std::string& what, ErrorKind kind) {
  Error e = git_failure(what, kind);
  std::string lock = index_lock_problem(repo);
  if (!lock.empty() && e.kind != ErrorKind::Locked)
    return make_error(e.message + ". " + lock, ErrorKind::Locked);
  return e;
}

std::string index_lock_problem(const Repository& repo) {
  std::string path = repo.git_dir() + "/index.lock";
  if (::access(path.c_str(), F_OK) != 0) return "";
  return lock_advice(path);
}

std::string oid_hex(const git_oid& oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &oid);
  return hex;
}

Result<CommitPtr> find_commit(Repository& repo, const std::string& rev) {
  git_object* obj = nullptr;
  if (git_revparse_single(&obj, repo.raw(), rev.c_str()) != 0)
    return git_failure("commit '" + rev + "' not found in " + repo.root(), ErrorKind::NotFound);
  ObjectPtr owned(obj);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, owned.get(), GIT_OBJECT_COMMIT) != 0)
    return git_failure("'" + rev + "' does not name a commit in " + repo.root(), ErrorKind::NotFound);
  return CommitPtr(reinterpret_cast<git_commit*>(peeled));
}

Result<TreePtr> find_tree(Repository& repo, const std::string& rev) {
  if (rev.empty()) return TreePtr();
  auto commit = find_commit(repo, rev);
  if (!commit) return commit.error();
  git_tree* tree = nullptr;
  if (git_commit_tree(&tree, commit->get()) != 0) return git_failure("cannot read the tree of " + rev);
  return TreePtr(tree);
}

bool is_skip_worktree(git_index* index, const char* path) {
  const git_index_entry* e = path ? git_index_get_bypath(index, path, 0) : nullptr;
  return e && (e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE);
}

Result<SignaturePtr> default_signature(Repository& repo) {
  git_signature* sig = nullptr;
  if (git_signature_default(&sig, repo.raw()) == 0) return SignaturePtr(sig);
  if (git_signature_now(&sig, "diffsmith", "diffsmith@localhost") == 0) return SignaturePtr(sig);
  return git_failure("cannot create a commit signature");
}

Repository::Repository(git_repository* repo)
    : repo_(repo),
      root_(without_trailing_slash(git_repository_workdir(repo))),
      git_dir_(without_trailing_slash(git_repository_path(repo))),
      common_dir_(without_trailing_slash(git_repository_commondir(repo))) {
  std::string prefix = common_dir_ + "/";
  worktree_id_ = git_dir_ == common_dir_ || git_dir_.compare(0, prefix.size(), prefix) != 0
                     ? "."
                     : git_dir_.substr(prefix.size());
}

Repository::Repository(Repository&& other) noexcept
    : repo_(other.repo_),
      root_(std::move(other.root_)),
      git_dir_(std::move(other.git_dir_)),
      common_dir_(std::move(other.common_dir_)),
      worktree_id_(std::move(other.worktree_id_)),
      journal_ref_(std::move(other.journal_ref_)) {
  other.repo_ = nullptr;
}

Repository& Repository::operator=(Repository&& other) noexcept {
  if (this != &other) {
    if (repo_) git_repository_free(repo_);
    repo_ = other.repo_;
    other.repo_ = nullptr;
    root_ = std::move(other.root_);
    git_dir_ = std::move(other.git_dir_);
    common_dir_ = std::move(other.common_dir_);
    worktree_id_ = std::move(other.worktree_id_);
    journal_ref_ = std::move(other.journal_ref_);
  }
  return *this;
}

Repository::~Repository() {
  if (repo_) git_repository_free(repo_);
}

Result<Repository> Repository::open(const std::string& dir) {
  ensure_libgit2();
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string shown = fs::absolute(dir.empty() ? "." : dir, ec).lexically_normal().string();
  if (ec) shown = dir;
  while (shown.size() > 1 && shown.back() == '/') shown.pop_back();
  if (!fs::is_directory(shown, ec))
    return make_error("not a directory: " + shown + "; pass the path of a git work tree",
                      ErrorKind::NotARepo);

  git_repository* raw = nullptr;
  int rc = git_repository_open_ext(&raw, shown.c_str(), 0, nullptr);
  if (rc == GIT_ENOTFOUND)
    return make_error("not a git repository: " + shown +
                          " (or any parent); run diffsmith inside a git work tree, or create one with "
                          "`git init`",
                      ErrorKind::NotARepo);
  if (rc != 0) return git_failure("cannot open the git repository at " + shown);
  RepositoryPtr owned(raw);
  if (git_repository_is_bare(raw))
    return make_error(
        "bare repository has no work tree: " + without_trailing_slash(git_repository_path(raw)) +
            "; run diffsmith in a clone that has a work tree",
        ErrorKind::Bare);
  return Repository(owned.release());
}

Result<std::string> head_commit(Repository& repo) {
  git_oid oid;
  int rc = git_reference_name_to_id(&oid, repo.raw(), "HEAD");
  if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH) return std::string();
  if (rc != 0) return git_failure("cannot resolve HEAD in " + repo.root());
  return oid_hex(oid);
}

}  // namespace ds::git
