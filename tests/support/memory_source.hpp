// The planner's files held in memory (an edit::FileSource for tests and
// benchmarks): a path not in `files` does not exist. `reads` counts the
// reads of each path.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "edit/plan.hpp"

namespace ds::test {

class MemorySource : public edit::FileSource {
 public:
  std::map<std::string, std::string> files;
  std::map<std::string, int> reads;
  Result<std::optional<std::string>> read(const std::string& path) override {
    ++reads[path];
    auto it = files.find(path);
    if (it == files.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
};

}  // namespace ds::test
