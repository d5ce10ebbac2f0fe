// clone_bare / fetch_origin / clone_checkout with libgit2's git_clone,
// git_remote_fetch and git_checkout_tree.
#include "git/clone.hpp"

#include <unistd.h>

#include <filesystem>

#include "git/handles.hpp"

namespace ds::git {
namespace {

using RemotePtr = Handle<git_remote, git_remote_free>;

// libgit2's transfer-progress callback: a non-zero return aborts the transfer.
int cancel_transfer(const git_indexer_progress*, void* payload) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(payload);
  return cancel && cancel->load() ? -1 : 0;
}

void set_cancel(git_remote_callbacks& cb, const std::atomic<bool>* cancel) {
  cb.transfer_progress = cancel_transfer;
  cb.payload = const_cast<std::atomic<bool>*>(cancel);
}

Status clone_raw(const std::string& source, const std::string& dest, bool bare,
                 const std::atomic<bool>* cancel) {
  ensure_libgit2();
  git_clone_options opts = GIT_CLONE_OPTIONS_INIT;
  opts.bare = bare ? 1 : 0;
  opts.checkout_opts.checkout_strategy = GIT_CHECKOUT_NONE;  // the caller checks out the commit it wants
  set_cancel(opts.fetch_opts.callbacks, cancel);
  git_repository* raw = nullptr;
  if (git_clone(&raw, source.c_str(), dest.c_str(), &opts) != 0) {
    if (cancel && cancel->load())
      return make_error("cloning " + source + " was interrupted", ErrorKind::IoError);
    return git_failure("cannot clone " + source + " into " + dest +
                       " (check that the source is a git repository or a reachable URL)");
  }
  git_repository_free(raw);
  return Ok{};
}

Status fetch_everything(git_repository* repo, const std::string& where, const std::atomic<bool>* cancel) {
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, repo, "origin") != 0)
    return git_failure("the repository " + where + " has no remote 'origin' to fetch from",
                       ErrorKind::NotFound);
  RemotePtr remote(raw);
  char spec[] = "+refs/*:refs/diffsmith-source/*";
  char* specs[] = {spec};
  git_strarray refspecs{specs, 1};
  git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
  set_cancel(opts.callbacks, cancel);
  if (git_remote_fetch(remote.get(), &refspecs, &opts, nullptr) != 0)
    return git_failure("cannot fetch from the origin of " + where);
  return Ok{};
}

}  // namespace

Status clone_bare(const std::string& source, const std::string& dest, const std::atomic<bool>* cancel) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dest, ec))
    return make_error(dest + " already exists; remove it or reuse it", ErrorKind::Exists);
  std::string partial = dest + ".partial-" + std::to_string(::getpid());
  fs::remove_all(partial, ec);
  Status st = clone_raw(source, partial, true, cancel);
  if (st.ok() && std::rename(partial.c_str(), dest.c_str()) != 0) {
    // Another process sharing the work dir may have finished the same clone first.
    if (!fs::is_directory(dest, ec))
      st = make_error("cannot rename the finished clone " + partial + " to " + dest, ErrorKind::IoError);
  }
  fs::remove_all(partial, ec);  // gone after a successful rename
  return st;
}

Status fetch_origin(const std::string& path, const std::atomic<bool>* cancel) {
  ensure_libgit2();
  git_repository* raw = nullptr;
  if (git_repository_open_bare(&raw, path.c_str()) != 0 && git_repository_open(&raw, path.c_str()) != 0)
    return git_failure("cannot open the repository " + path, ErrorKind::NotARepo);
  RepositoryPtr repo(raw);
  return fetch_everything(repo.get(), path, cancel);
}

Result<Repository> clone_checkout(const std::string& source, const std::string& dest,
                                  const std::string& commit, const std::atomic<bool>* cancel) {
  if (Status st = clone_raw(source, dest, false, cancel); !st.ok()) return st.error();
  auto repo = Repository::open(dest);
  if (!repo) return repo.error();
  std::string rev = commit.empty() ? "HEAD" : commit;
  auto target = find_commit(*repo, rev);
  if (!target && !commit.empty()) {
    if (Status st = fetch_everything(repo->raw(), dest, cancel); !st.ok()) return st.error();
    target = find_commit(*repo, rev);
  }
  if (!target)
    return make_error(
        "commit " + rev + " is not in " + source +
            (commit.empty() ? " (the repository has no commits)"
                            : "; fetch it there (git fetch origin " + commit + ") or fix base_commit"),
        ErrorKind::NotFound);
  git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
  co.checkout_strategy = GIT_CHECKOUT_FORCE;
  const git_object* obj = reinterpret_cast<const git_object*>(target->get());
  if (git_checkout_tree(repo->raw(), obj, &co) != 0)
    return git_failure("cannot check out " + rev + " into " + dest);
  if (git_repository_set_head_detached(repo->raw(), git_commit_id(target->get())) != 0)
    return git_failure("cannot point HEAD of " + dest + " at " + rev);
  return repo;
}

}  // namespace ds::git
