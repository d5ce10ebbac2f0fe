// The index as data: each stage-0 entry with the blob id and the stat data
// git recorded for it, and the blob id of any bytes; for callers (the repo
// map) that key their work by blob id and skip files whose stat data has not
// changed.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

using RawOid = std::array<uint8_t, 20>;

struct IndexEntry {
  std::string path;   // relative to the work tree, '/'-separated
  RawOid id{};        // blob id (a commit id for a submodule)
  uint32_t mode = 0;  // git's file mode: 0100644, 0100755, 0120000 (link), 0160000 (submodule)
  uint64_t size = 0;  // file size git recorded (truncated to 32 bits by git)
  int64_t mtime_s = 0;
  uint32_t mtime_ns = 0;
  int64_t ctime_s = 0;
  uint32_t ctime_ns = 0;

  // A regular file, executable or not (no link, no submodule).
  bool is_regular_file() const { return mode == 0100644 || mode == 0100755; }
};

// The index's entries at stage 0 (conflicted paths, which only have stages
// 1-3, are left out), in index order. ErrorKind::GitError when the index
// cannot be read.
Result<std::vector<IndexEntry>> index_entries(Repository& repo);

// The git blob id of `content` (what `git hash-object` prints), as bytes.
RawOid blob_oid_of(std::string_view content);

}  // namespace ds::git
