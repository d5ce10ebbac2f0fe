// One file's change as whole contents before and after: what an edit plan
// produces, what is written to the work tree, what a diff shows.
#pragma once

#include <optional>
#include <string>

namespace ds::diff {

// before: nullopt = the file is created; after: nullopt = it is deleted.
struct FileChange {
  std::string path;
  std::optional<std::string> before;
  std::optional<std::string> after;
};

}  // namespace ds::diff
