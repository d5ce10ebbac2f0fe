// `diffsmith undo` and `diffsmith log`: the runs recorded on hidden refs
// refs/diffsmith/<run-id>, and restoring a run's starting state.
#pragma once

#include <iosfwd>
#include <string>

namespace ds::agent {

struct UndoCommandOptions {
  std::string dir = ".";
  std::string run;     // empty: the most recent run
  bool force = false;  // undo even files changed again since the run ended
};

// Puts every file the run changed back as it was when the run started (its
// first checkpoint, which includes a dirty start), after checkpointing the
// current state so the undo can itself be undone. Works for a run killed
// mid-turn too: its write journal names the files it was writing, and the
// temporary files of an interrupted write are removed. Files changed by
// someone else since the run wrote them are not overwritten without --force.
// Only runs made in this work tree are considered (linked worktrees keep
// their own).
// Exit 0 done, 1 refused (later changes), 2 unknown run, 4 repository error
// or a run in progress.
int run_undo_command(const UndoCommandOptions& o, std::ostream& out, std::ostream& err);

struct LogCommandOptions {
  std::string dir = ".";
  bool json = false;
};

int run_log_command(const LogCommandOptions& o, std::ostream& out, std::ostream& err);

}  // namespace ds::agent
