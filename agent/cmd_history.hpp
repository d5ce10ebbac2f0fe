// `diffsmith undo` and `diffsmith log`: the runs recorded on hidden refs
// refs/diffsmith/<run-id>, and restoring a run's starting state.
#pragma once

#include <iosfwd>
#include <string>

namespace ds::agent {

struct UndoCommandOptions {
  std::string dir = ".";
  std::string run;  // empty: the most recent run
};

// Restores the worktree to the run's starting state (first checkpoint),
// after checkpointing the current state so the undo can itself be undone.
// Exit 0 done, 2 unknown run, 4 repository error or run in progress.
int run_undo_command(const UndoCommandOptions& o, std::ostream& out, std::ostream& err);

struct LogCommandOptions {
  std::string dir = ".";
  bool json = false;
};

int run_log_command(const LogCommandOptions& o, std::ostream& out, std::ostream& err);

}  // namespace ds::agent
