// `diffsmith undo [RUN]`: put back what a run changed.
#pragma once

#include <iosfwd>
#include <string>

namespace ds::agent {

struct UndoCommandOptions {
  std::string dir = ".";
  std::string run;        // empty: the latest run that changed something
  bool force = false;     // undo even files changed again since the run ended
  std::string all_since;  // --all-since RUN: RUN and every later run, newest first
};

// Undo is a stack: without RUN it takes back the latest run that changed
// something and is not undone yet, so each `undo` goes one run further back.
// Puts every file the run changed back as it was when the run started (its
// first checkpoint, which includes a dirty start), after checkpointing the
// current state so the undo can itself be undone (`undo undo-RUN`). Works
// for a run killed mid-turn too: its write journal names the files it was
// writing, and the temporary files of an interrupted write are removed.
// Files changed by someone else since the run wrote them are not
// overwritten without --force. A run that committed (--commit / --branch)
// has its commit taken back when the branch still points at it (a branch the
// run created is deleted, HEAD goes back); with commits on top, undo refuses
// and says how to do it by hand. Only runs made in this work tree count.
// Exit 0 done (also: already undone, nothing to undo), 1 refused (later
// changes or commits), 2 unknown run / no run, 4 repository error or a run in
// progress.
int run_undo_command(const UndoCommandOptions& o, std::ostream& out, std::ostream& err);

}  // namespace ds::agent
