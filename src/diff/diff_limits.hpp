// Which changed files a diff shows line by line and which it only names:
// binary files (a NUL byte in the first 8000 bytes of either side, as git
// decides) and files over a size limit never have their content in a diff.
// Binary wins: a big file is binary when its first 8000 bytes say so (only
// those are read), else it is over the limit.
// Each such file gets one note line at the top of the diff instead, saying
// what it is and its size:
//
//   # diffsmith: big.bin: binary, new file, 629145600 bytes (600 MiB); not shown
//
// `git apply`, GNU patch and libgit2's parser skip text before the first
// `diff --git` line, so a patch with notes still applies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ds::diff {

inline constexpr uint64_t kDefaultMaxDiffFileSize = uint64_t{10} << 20;  // 10 MiB

enum class Omission { None, Binary, OverLimit };

// The sizes of a change's two sides; std::nullopt where the file does not
// exist (created, deleted).
struct SideSizes {
  std::optional<uint64_t> before, after;
};

// OverLimit when either side is larger than `limit`: decided from the sizes
// alone, before any content is read.
Omission omission_by_size(const SideSizes& sizes, uint64_t limit);

// Binary when either side has a NUL byte in its first 8000 bytes.
Omission omission_by_content(std::string_view before, std::string_view after);

struct OmittedFile {
  std::string path;
  Omission why = Omission::Binary;
  SideSizes sizes;
  uint64_t limit = kDefaultMaxDiffFileSize;  // for OverLimit's note
};

// The note line for `f` (ending in '\n'), `action` its last words ("not
// shown", "left out of this patch").
std::string omitted_note(const OmittedFile& f, std::string_view action);

// The notes of `files`, one line each, in order.
std::string omitted_notes(const std::vector<OmittedFile>& files, std::string_view action);

}  // namespace ds::diff
