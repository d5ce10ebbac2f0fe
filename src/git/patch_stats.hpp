// Lines added and removed per file of a `diff --git` patch (git diff --numstat),
// read with libgit2's patch parser: for the run's summary and --json.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace ds::git {

struct FileStat {
  std::string path;  // the new side's path (the old one for a deletion)
  size_t added = 0, removed = 0;
};

// One entry per file, in patch order; empty for an empty patch.
// ErrorKind::ApplyFailed when libgit2 cannot parse the text as a patch.
Result<std::vector<FileStat>> patch_stats(std::string_view patch);

}  // namespace ds::git
