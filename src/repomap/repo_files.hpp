// The repository side of the map (over ds::git): open with discovery, list
// the index's regular files (with the stat data git recorded for them),
// locate the cache directory, and hash worktree content into blob ids.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "repomap/tag_table.hpp"

namespace ds::repomap {

struct IndexFile {
  std::string path;   // relative to the work tree, '/'-separated
  Oid oid;            // blob id recorded in the index
  uint64_t size = 0;  // file size git recorded (truncated to 32 bits by git)
  int64_t mtime_s = 0;
  uint32_t mtime_ns = 0;
  int64_t ctime_s = 0;    // ctime cannot be set by tools, so it catches
  uint32_t ctime_ns = 0;  // content changed with the mtime put back
};

struct RepoFiles {
  std::string workdir;    // absolute, ends with '/'
  std::string cache_dir;  // <common git dir>/diffsmith
  int64_t index_mtime_s = 0;
  uint32_t index_mtime_ns = 0;
  size_t tracked = 0;            // index entries at stage 0
  std::vector<IndexFile> files;  // regular files only: no gitlinks, no symlinks
};

// Errors: git::ErrorKind::NotARepo, Bare (git::Repository::open), GitError
// (the index cannot be read).
Result<RepoFiles> list_repo_files(const std::string& dir);

// The git blob id of `content` (what `git hash-object` prints).
Oid hash_blob(std::string_view content);

}  // namespace ds::repomap
