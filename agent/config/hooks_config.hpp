// The user's hooks as configured ([hooks] in the user's config, never a
// repository's): one command string per event (agent/hooks.hpp runs them).
#pragma once

#include <string>

namespace ds::agent {

struct Hooks {
  std::string before_tool, after_edit, before_commit, run_end;
  int timeout_s = 60;  // per hook run
  bool any() const {
    return !before_tool.empty() || !after_edit.empty() || !before_commit.empty() || !run_end.empty();
  }
};

}  // namespace ds::agent
