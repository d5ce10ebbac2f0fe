// `diffsmith batch TASKS --out preds.jsonl`: run the agent loop over many
// tasks (SWE-bench instances or generic repo tasks) with a worker pool, and
// write SWE-bench predictions. The CLI (cli.cpp) fills BatchCommandArgs from
// batch_command_options(): batch_options() + run_options() + the endpoint
// options (agent/cli/options.hpp).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "agent/config/options.hpp"
#include "agent/config/settings.hpp"

namespace ds::agent {

struct BatchCommandArgs {
  std::string tasks_file;  // positional TASKS.jsonl | TASKS.json
  std::string dir = ".";   // -C: the repository whose .diffsmith.toml applies (if any)
  Settings settings;       // flags collected by the CLI; config files loaded by the command
};

// Exit codes: 0 every selected task has a prediction line (run now or
// earlier); 1 some did not (errors, --max-cost-total reached); 2 usage or
// configuration error; 130 interrupted.
int run_batch_command(BatchCommandArgs& a, std::ostream& out, std::ostream& err);

}  // namespace ds::agent
