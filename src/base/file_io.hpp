// Whole-file reads: the one place any layer reads a file in full.
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <string>

#include "base/result.hpp"

namespace ds {

inline constexpr size_t kNoSizeLimit = std::numeric_limits<size_t>::max();

// The bytes of the file at `path`: a regular file, a /proc file, a pipe
// (`<(cmd)`) or a device (/dev/null) read to its end. Errors name the path
// and the reason: "cannot read '/x/y': No such file or directory", "...: it
// is a folder, not a file", "...: it is larger than N bytes" (when it
// exceeds `max_bytes`).
Result<std::string> read_whole_file(const std::string& path, size_t max_bytes = kNoSizeLimit);

// read_whole_file, but std::nullopt when nothing is at `path` (the file or a
// folder above it does not exist).
Result<std::optional<std::string>> read_file_if_exists(const std::string& path,
                                                       size_t max_bytes = kNoSizeLimit);

}  // namespace ds
