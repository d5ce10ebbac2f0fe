// `diffsmith show [RUN]`: a run's transcript, for a person or as JSON.
#pragma once

#include <iosfwd>
#include <string>

namespace ds::agent {

struct ShowCommandOptions {
  std::string dir = ".";
  std::string run;    // empty: the latest run
  bool json = false;  // print the trajectory file as stored (JSON Lines)
};

// The task, then each turn: the model's text, its tool calls and their
// results (one line each), edits as diffs, test results; then the verdict,
// the summary and the totals. Exit 0, 2 unknown run / no run, 4 repository
// error or an unreadable trajectory.
int run_show_command(const ShowCommandOptions& o, std::ostream& out, std::ostream& err);

}  // namespace ds::agent
