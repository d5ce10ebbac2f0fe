// `diffsmith run` (and `doctor`, `demo`, which share its settings): resolve
// the configuration, open and lock the repository, run a Session, write the
// outputs, and map the outcome to an exit code.
#pragma once

#include <iosfwd>
#include <string>

#include "agent/cli/settings.hpp"

namespace ds::agent {

struct RunCommandArgs {
  std::string task;     // positional TASK, or "-" for stdin
  std::string dir = ".";
  Settings settings;    // flags collected by the CLI; files loaded by the command
};

int run_run_command(RunCommandArgs& a, std::istream& in, std::ostream& out, std::ostream& err);

struct DemoCommandOptions {
  std::string keep_dir;  // create the demo repository here (must not exist)
  bool json = false;
};

// Writes the embedded demo repository to a temporary directory (or keep_dir),
// commits it, and runs the agent on it with the embedded recorded session.
int run_demo_command(const DemoCommandOptions& o, std::ostream& out, std::ostream& err);

}  // namespace ds::agent
