// `diffsmith undo` and `diffsmith log`: the runs recorded on hidden refs
// refs/diffsmith/<run-id>, and restoring a run's starting state.
#pragma once

#include <iosfwd>
#include <string>

namespace ds::agent {

struct UndoCommandOptions {
  std::string dir = ".";
  std::string run;  // empty: the most recent run
  bool force = false;  // undo even files changed again since the run ended
};

// Puts every file the run changed back as it was when the run started (its
// first checkpoint, which includes a dirty start), after checkpointing the
// current state so the undo can itself be undone. Files changed again since
// the run ended are not overwritten without --force.
// Exit 0 done, 1 refused (later changes), 2 unknown run, 4 repository error
// or a run in progress.
int run_undo_command(const UndoCommandOptions& o, std::ostream& out, std::ostream& err);

struct LogCommandOptions {
  std::string dir = ".";
  bool json = false;
};

int run_log_command(const LogCommandOptions& o, std::ostream& out, std::ostream& err);

}  // namespace ds::agent
