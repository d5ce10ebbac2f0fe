// `diffsmith run` (and `doctor`, which shares its settings; `demo` runs it): resolve
// the configuration, open and lock the repository, run a Session, write the
// outputs, and map the outcome to an exit code.
#pragma once

#include <iosfwd>
#include <string>

#include "agent/config/settings.hpp"

namespace ds::agent {

struct RunCommandArgs {
  std::string task;  // positional TASK, or "-" for stdin
  std::string dir = ".";
  Settings settings;         // flags collected by the CLI; files loaded by the command
  bool continues = false;    // --continue [RUN]: a follow-up of RUN (agent/cli/follow_up.hpp)
  std::string continue_run;  // RUN; empty: the latest run in this work tree
  bool interactive = false;  // -i: after the verdict, read follow-ups from stdin
  bool next_hints = true;    // the summary's `next:` line (not in the demo: its repository is deleted)
};

int run_run_command(RunCommandArgs& a, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace ds::agent
