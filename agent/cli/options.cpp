// The option tables of run/batch/doctor.
#include "agent/cli/options.hpp"

#include <utility>

namespace ds::agent {

const std::vector<OptionSpec>& run_options() {
  static const std::vector<OptionSpec> kOptions = {
      {"task-file", "", "Read the task text from this file", ""},
      {"test", "-t",
       "Test command, run with /bin/sh -c in the repository root (default: detected from the repository)",
       ""},
      {"no-test", "", "Run without tests: the model's finish with a change ends the run as done", "", true},
      {"edit-format", "", "search-replace | patch", "search-replace"},
      {"file", "-f", "Pin a file: its whole text goes into the first message (repeatable)", "", false, true},
      {"max-turns", "", "Stop after this many model requests", "30"},
      {"max-cost", "", "Stop when the run has cost this many USD (0 = no limit)", "2.00"},
      {"max-time", "", "Stop after this many seconds of wall time (0 = no limit)", "0"},
      {"test-timeout", "", "Seconds before a test run is killed (with its process group)", "600"},
      {"test-output-tokens", "", "Test output sent to the model, head and tail, in tokens", "2500"},
      {"map-tokens", "", "Repo map budget in tokens (0 disables the map)", "4096"},
      {"json", "", "Print one JSON event per line on stdout", "", true},
      {"output-patch", "", "Write the final diff to this file", ""},
      {"commit", "", "Commit the final change on the current branch when solved", "", true},
      {"branch", "", "Commit the final change on this new branch when solved", ""},
      {"allow-dirty", "", "Run on a work tree with uncommitted changes (they are kept)", "", true},
      {"quiet", "-q", "Show only edited files, test results, warnings and the final summary", "", true},
      {"verbose", "-v", "Show the whole output of failing test runs (default: the last 15 lines)", "", true},
      {"pass-env", "", "Let the test command see this key-like env variable (repeatable)", "", false, true},
      {"parallel-tool-calls", "", "Allow parallel tool calls (true|false; server default if unset)", ""},
      {"sandbox", "", "Where the model's commands run: bwrap | off (off: unsandboxed, at your own risk)",
       "bwrap"},
      {"sandbox-network", "", "Let sandboxed commands use the network", "", true},
      {"sandbox-tests", "", "Run the test command in the same sandbox as the model's commands", "", true},
      {"no-commands", "", "Never offer the model the run_command tool", "", true},
      {"command-timeout", "", "Longest a run_command command may run, in seconds", "120"},
      {"container", "",
       "Run tests and commands in a container of this image ({id} {id_docker} {repo} {version})", ""},
      {"container-engine", "",
       "docker | podman | PATH of the container engine (default: whichever is on PATH)", ""},
      {"container-workdir", "", "The repository inside the container", "/testbed"},
      {"container-network", "", "Network mode of the container (the engine's network option)", "none"},
  };
  return kOptions;
}

std::vector<std::string> option_names(const std::vector<OptionSpec>& a, const std::vector<OptionSpec>& b) {
  std::vector<std::string> out;
  for (const auto& o : a) out.push_back(o.name);
  for (const auto& o : b) out.push_back(o.name);
  return out;
}

const char* option_value_name(std::string_view name) {
  static constexpr std::pair<const char*, const char*> kNumeric[] = {
      {"max-turns", "INT"},      {"max-cost", "FLOAT"},         {"max-time", "INT"},
      {"test-timeout", "INT"},   {"test-output-tokens", "INT"}, {"map-tokens", "INT"},
      {"workers", "INT"},        {"max-cost-total", "FLOAT"},   {"connect-timeout", "FLOAT"},
      {"idle-timeout", "FLOAT"}, {"max-retries", "INT"},        {"max-retry-wait", "FLOAT"},
      {"price-in", "FLOAT"},     {"price-cached", "FLOAT"},     {"price-out", "FLOAT"},
      {"temperature", "FLOAT"},  {"max-output-tokens", "INT"},
  };
  for (const auto& [key, value] : kNumeric) {
    if (name == key) return value;
  }
  return nullptr;
}

}  // namespace ds::agent
