// The tag cache: one binary file (.git/diffsmith/repomap.cache) holding a
// TagTable keyed by blob id, memory-mapped on load and replaced atomically
// (temp file + rename) on save, so concurrent runs never see a partial file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "repomap/tag_table.hpp"

namespace ds::repomap {

inline constexpr const char* kCacheFileName = "repomap.cache";

// The kinds of ds::repomap errors (only the cache has its own; opening the
// repository fails with git's kinds).
enum class ErrorKind : uint8_t { CacheMissing, CacheInvalid, CacheIo };

constexpr ErrorLibrary error_library(ErrorKind) { return ErrorLibrary::Repomap; }

// Maps and validates the file. A missing, truncated or foreign file is an
// error (kind above); callers then start from an empty table.
Result<TagTable> load_cache(const std::string& path);

// Writes the blobs listed in `keep` (indices into `table`) with only the
// names they use. Creates the directory if needed. Returns the new file's
// generation (a random id derived caches are keyed by).
Result<uint64_t> save_cache(const TagTable& table, const std::vector<uint32_t>& keep,
                            const std::string& path);

// Codec access to TagTable internals.
class CacheCodec {
 public:
  static Result<TagTable> decode(std::shared_ptr<const void> backing, const char* data, size_t size);
  static std::string encode(const TagTable& table, const std::vector<uint32_t>& keep, uint64_t generation);
};

}  // namespace ds::repomap
