// clone_bare / fetch_origin with libgit2's git_clone and git_remote_fetch;
// clone_checkout packs the base's history with git_packbuilder and checks it
// out with git_checkout_tree.
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

// One pack of every object `base` reaches (its commits, trees and blobs),
// written into `git_dir`'s object store.
int pack_progress(int, uint32_t, uint32_t, void* payload) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(payload);
  return cancel && cancel->load() ? -1 : 0;
}

Status pack_history(git_repository* src, const git_oid& base, const std::string& git_dir,
                    const std::atomic<bool>* cancel) {
  git_packbuilder* raw_pb = nullptr;
  if (git_packbuilder_new(&raw_pb, src) != 0) return git_failure("cannot start a pack");
  Handle<git_packbuilder, git_packbuilder_free> pb(raw_pb);
  git_packbuilder_set_threads(pb.get(), 0);  // one per CPU
  git_revwalk* raw_walk = nullptr;
  if (git_revwalk_new(&raw_walk, src) != 0) return git_failure("cannot walk the history");
  Handle<git_revwalk, git_revwalk_free> walk(raw_walk);
  if (git_revwalk_push(walk.get(), &base) != 0 || git_packbuilder_insert_walk(pb.get(), walk.get()) != 0)
    return git_failure("cannot collect the history of the base commit");
  git_packbuilder_set_callbacks(pb.get(), pack_progress, const_cast<std::atomic<bool>*>(cancel));
  std::string pack_dir = git_dir + (git_dir.ends_with("/") ? "" : "/") + "objects/pack";
  if (git_packbuilder_write(pb.get(), pack_dir.c_str(), 0, nullptr, nullptr) != 0) {
    if (cancel && cancel->load())
      return make_error("copying the history was interrupted", ErrorKind::IoError);
    return git_failure("cannot write the history of the base commit into " + pack_dir);
  }
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

Result<Repository> clone_checkout(const std::string& source_in, const std::string& dest,
                                  const std::string& commit, const std::atomic<bool>* cancel) {
  ensure_libgit2();
  std::string source = source_in.rfind("file://", 0) == 0 ? source_in.substr(7) : source_in;
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, source.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0)
    return git_failure("cannot open the repository " + source_in +
                           " (a task's source must be a local repository or a cached clone)",
                       ErrorKind::NotARepo);
  RepositoryPtr src(raw);
  std::string rev = commit.empty() ? "HEAD" : commit;
  git_object* obj = nullptr;
  if (git_revparse_single(&obj, src.get(), (rev + "^{commit}").c_str()) != 0)
    return make_error(
        "commit " + rev + " is not in " + source_in +
            (commit.empty() ? " (the repository has no commits)"
                            : "; fetch it there (git fetch origin " + commit + ") or fix base_commit"),
        ErrorKind::NotFound);
  ObjectPtr target(obj);
  git_oid base = *git_object_id(target.get());
  // Only what the base reaches: no refs, no packed refs, no objects of later
  // commits (a local clone would share the source's whole object store).
  git_repository* made = nullptr;
  if (git_repository_init(&made, dest.c_str(), 0) != 0)
    return git_failure("cannot create the repository " + dest);
  RepositoryPtr out(made);
  if (Status st = pack_history(src.get(), base, git_repository_path(out.get()), cancel); !st.ok())
    return st.error();
  out.reset();
  auto repo = Repository::open(dest);
  if (!repo) return repo.error();
  git_object* here = nullptr;
  if (git_object_lookup(&here, repo->raw(), &base, GIT_OBJECT_COMMIT) != 0)
    return git_failure("the history copied into " + dest + " lacks " + rev);
  ObjectPtr base_commit(here);
  git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
  co.checkout_strategy = GIT_CHECKOUT_FORCE;
  if (git_checkout_tree(repo->raw(), base_commit.get(), &co) != 0)
    return git_failure("cannot check out " + rev + " into " + dest);
  if (git_repository_set_head_detached(repo->raw(), &base) != 0)
    return git_failure("cannot point HEAD of " + dest + " at " + rev);
  return repo;
}

}  // namespace ds::git
