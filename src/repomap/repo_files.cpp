// libgit2 access for the repo map, with RAII handles. src/git has the
// general wrappers; this unit needs only these few calls and keeps the map
// independent of that library's progress.
#include "repomap/repo_files.hpp"

#include <git2.h>
#include <sys/stat.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace ds::repomap {

namespace {

void init_libgit2() {
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });
}

struct RepoDeleter {
  void operator()(git_repository* r) const { git_repository_free(r); }
};
struct IndexDeleter {
  void operator()(git_index* i) const { git_index_free(i); }
};
using RepoPtr = std::unique_ptr<git_repository, RepoDeleter>;
using IndexPtr = std::unique_ptr<git_index, IndexDeleter>;

std::string last_git_error() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown libgit2 error";
}

}  // namespace

Result<RepoFiles> list_repo_files(const std::string& dir) {
  init_libgit2();
  git_repository* raw = nullptr;
  int rc = git_repository_open_ext(&raw, dir.c_str(), 0, nullptr);
  if (rc == GIT_ENOTFOUND)
    return make_error("not a git repository: " + dir +
                          " (run inside a repository, pass -C DIR, or `git init` first)",
                      kNotARepository);
  if (rc != 0) return make_error("cannot open git repository at " + dir + ": " + last_git_error(), kRepoIo);
  RepoPtr repo(raw);
  if (git_repository_is_bare(repo.get()))
    return make_error("repository at " + dir + " is bare: the repo map needs a work tree", kBareRepository);

  RepoFiles out;
  out.workdir = git_repository_workdir(repo.get());
  if (!out.workdir.empty() && out.workdir.back() != '/') out.workdir.push_back('/');
  std::string common = git_repository_commondir(repo.get());
  if (!common.empty() && common.back() != '/') common.push_back('/');
  out.cache_dir = common + "diffsmith";

  std::string index_path = std::string(git_repository_path(repo.get())) + "index";
  struct stat st {};
  if (::stat(index_path.c_str(), &st) == 0) {
    out.index_mtime_s = st.st_mtim.tv_sec;
    out.index_mtime_ns = static_cast<uint32_t>(st.st_mtim.tv_nsec);
  }

  git_index* raw_index = nullptr;
  if (git_repository_index(&raw_index, repo.get()) != 0)
    return make_error("cannot read the git index of " + out.workdir + ": " + last_git_error() +
                          " (try `git status` to check the repository)",
                      kRepoIo);
  IndexPtr index(raw_index);
  size_t n = git_index_entrycount(index.get());
  out.files.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const git_index_entry* e = git_index_get_byindex(index.get(), i);
    if (e == nullptr || GIT_INDEX_ENTRY_STAGE(e) != 0) continue;
    ++out.tracked;
    if (e->mode != GIT_FILEMODE_BLOB && e->mode != GIT_FILEMODE_BLOB_EXECUTABLE) continue;
    IndexFile f;
    f.path = e->path;
    std::memcpy(f.oid.bytes.data(), e->id.id, f.oid.bytes.size());
    f.size = e->file_size;
    f.mtime_s = e->mtime.seconds;
    f.mtime_ns = e->mtime.nanoseconds;
    f.ctime_s = e->ctime.seconds;
    f.ctime_ns = e->ctime.nanoseconds;
    out.files.push_back(std::move(f));
  }
  return out;
}

Oid hash_blob(std::string_view content) {
  init_libgit2();
  git_oid id;
  Oid out;
  if (git_odb_hash(&id, content.data(), content.size(), GIT_OBJECT_BLOB) == 0)
    std::memcpy(out.bytes.data(), id.id, out.bytes.size());
  return out;
}

}  // namespace ds::repomap
