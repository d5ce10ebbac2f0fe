// What the tag cache and the graph cache share in their file layout: a
// file mapped read-only for as long as any table points into it, and the
// 8-byte alignment of every section.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "base/result.hpp"

namespace ds::repomap {

struct MappedFile {
  std::shared_ptr<const void> backing;  // unmaps when the last holder lets go
  const char* data = nullptr;
  size_t size = 0;
};

// Maps the whole file read-only (pages read in now). Errors, with kinds:
// CacheMissing (no file), CacheInvalid (empty), CacheIo (cannot open or map).
Result<MappedFile> map_file(const std::string& path);

// Where a section that follows `n` bytes starts.
constexpr size_t align8(size_t n) { return (n + 7) & ~size_t{7}; }

}  // namespace ds::repomap
