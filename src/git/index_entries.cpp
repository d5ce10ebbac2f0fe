// index_entries and blob_oid_of over libgit2's index and object hashing.
#include "git/index_entries.hpp"

#include <cstring>

#include "git/handles.hpp"

namespace ds::git {

Result<std::vector<IndexEntry>> index_entries(Repository& repo) {
  ensure_libgit2();
  git_index* raw = nullptr;
  if (git_repository_index(&raw, repo.raw()) != 0)
    return git_failure("cannot read the git index of " + repo.root() +
                       " (try `git status` to check the repository)");
  IndexPtr index(raw);
  size_t n = git_index_entrycount(raw);
  std::vector<IndexEntry> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const git_index_entry* e = git_index_get_byindex(raw, i);
    if (e == nullptr || GIT_INDEX_ENTRY_STAGE(e) != 0) continue;
    IndexEntry entry;
    entry.path = e->path;
    std::memcpy(entry.id.data(), e->id.id, entry.id.size());
    entry.mode = e->mode;
    entry.size = e->file_size;
    entry.mtime_s = e->mtime.seconds;
    entry.mtime_ns = e->mtime.nanoseconds;
    entry.ctime_s = e->ctime.seconds;
    entry.ctime_ns = e->ctime.nanoseconds;
    out.push_back(std::move(entry));
  }
  return out;
}

RawOid blob_oid_of(std::string_view content) {
  ensure_libgit2();
  git_oid id;
  RawOid out{};
  if (git_odb_hash(&id, content.data(), content.size(), GIT_OBJECT_BLOB) == 0)
    std::memcpy(out.data(), id.id, out.size());
  return out;
}

}  // namespace ds::git
