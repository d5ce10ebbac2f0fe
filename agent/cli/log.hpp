// `diffsmith log`: the runs of this work tree, one line each.
#pragma once

#include <iosfwd>
#include <string>

namespace ds::agent {

struct LogCommandOptions {
  std::string dir = ".";
  bool json = false;  // one JSON object per line (JSON Lines), newest run first
};

// One line per run, newest first: id, start time, status, turns, cost,
// files changed, the task's first line. A run killed mid-way (no
// run_finished event) is `unfinished`. Exit 0, or 4 (not a repository).
int run_log_command(const LogCommandOptions& o, std::ostream& out, std::ostream& err);

}  // namespace ds::agent
