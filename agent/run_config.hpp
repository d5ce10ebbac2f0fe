// Everything one `diffsmith run` needs to know, resolved from flags, env and
// config files by cmd_run.cpp (or built by the batch runner).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "edit/edit_types.hpp"
#include "exec/process.hpp"
#include "llm/types.hpp"

namespace ds::agent {

struct RunConfig {
  std::string task;
  std::string test_cmd;
  std::string model = "gpt-4.1";
  edit::Format edit_format = edit::Format::SearchReplace;
  std::vector<std::string> pinned;  // -f FILE
  int max_turns = 30;
  double max_cost = 2.00;           // USD; 0 = no limit
  int test_timeout_s = 600;
  int max_wall_s = 0;               // 0 = no limit
  size_t test_output_tokens = 2500; // trimmed test output sent to the model
  size_t map_tokens = 4096;         // 0 disables the repo map
  bool allow_dirty = false;
  std::optional<bool> parallel_tool_calls;
  std::vector<std::string> pass_env;  // key-like variables still passed to tests
  std::string run_id;                 // set by the caller; names the checkpoint ref
  // Turn cost in USD for a model's usage; negative when prices are unknown.
  std::function<double(const std::string& model, const llm::Usage&)> cost_of;
  // run_command: the runner for the model's commands (the bwrap sandbox, or
  // the plain runner under --sandbox off); null: the tool is not offered.
  std::shared_ptr<exec::ProcessRunner> command_runner;
  int command_timeout_s = 120;  // the longest one command may run
  // --container: tests (and commands) run in a container of this image
  // (placeholders {id} {id_docker} {repo} {version}); "" = on this machine.
  std::string container_image;
  std::string container_engine;  // resolved path of docker/podman
  std::string container_workdir = "/testbed";
  std::string container_network = "none";
};

enum class RunStatus { Solved, Unsolved, Error, Interrupted };

inline const char* status_name(RunStatus s) {
  switch (s) {
    case RunStatus::Solved: return "solved";
    case RunStatus::Unsolved: return "unsolved";
    case RunStatus::Error: return "error";
    case RunStatus::Interrupted: return "interrupted";
  }
  return "error";
}

struct RunOutcome {
  RunStatus status = RunStatus::Error;
  int exit_code = 3;          // DESIGN.md exit codes
  std::string reason;         // why it stopped, for people
  std::string diff;           // start..end, git-apply clean
  std::vector<std::string> changed_paths;
  std::string summary;        // the model's finish summary, if any
  int turns = 0;
  llm::Usage usage;
  std::optional<double> cost_usd;
  std::string start_commit, end_commit;  // checkpoint commits
};

}  // namespace ds::agent
