// The repository side of the map over ds::git: open (with discovery), the
// index's regular files, the cache directory, blob ids of work-tree content.
#include "repomap/repo_files.hpp"

#include <sys/stat.h>

#include "git/index_entries.hpp"
#include "git/repository.hpp"

namespace ds::repomap {

Result<RepoFiles> list_repo_files(const std::string& dir) {
  auto repo = git::Repository::open(dir);
  if (!repo) return repo.error();
  auto entries = git::index_entries(*repo);
  if (!entries) return entries.error();

  RepoFiles out;
  out.workdir = repo->root() + "/";
  out.cache_dir = repo->common_dir() + "/diffsmith";
  std::string index_path = repo->git_dir() + "/index";
  struct stat st {};
  if (::stat(index_path.c_str(), &st) == 0) {
    out.index_mtime_s = st.st_mtim.tv_sec;
    out.index_mtime_ns = static_cast<uint32_t>(st.st_mtim.tv_nsec);
  }
  out.tracked = entries->size();
  out.files.reserve(entries->size());
  for (git::IndexEntry& e : *entries) {
    if (!e.is_regular_file()) continue;
    IndexFile f;
    f.path = std::move(e.path);
    f.oid.bytes = e.id;
    f.size = e.size;
    f.mtime_s = e.mtime_s;
    f.mtime_ns = e.mtime_ns;
    f.ctime_s = e.ctime_s;
    f.ctime_ns = e.ctime_ns;
    out.files.push_back(std::move(f));
  }
  return out;
}

Oid hash_blob(std::string_view content) { return Oid{git::blob_oid_of(content)}; }

}  // namespace ds::repomap
