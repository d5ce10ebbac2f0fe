// `diffsmith sandbox [-C DIR] [--sandbox-network] -- CMD...`: runs a command
// in exactly the sandbox the model's run_command gets, for trying it out.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace ds::agent {

struct SandboxCommandOptions {
  std::string dir = ".";
  std::vector<std::string> command;  // one word: a shell command line; more: quoted and joined
  bool network = false;
  int timeout_s = 120;
};

// Exit code: the command's; 124 at the timeout; 2 when the sandbox cannot be
// set up (with the reason); 4 when DIR is not in a git repository.
int run_sandbox_command(const SandboxCommandOptions& o, std::ostream& out, std::ostream& err);

}  // namespace ds::agent
