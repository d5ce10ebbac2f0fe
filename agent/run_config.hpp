// Everything one `diffsmith run` needs to know, resolved from flags, env and
// config files by agent/cli/run.cpp (or built by the batch runner).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/hooks.hpp"
#include "edit/diff_limits.hpp"
#include "edit/edit_types.hpp"
#include "exec/process.hpp"
#include "llm/types.hpp"

namespace ds::mcp {
class Server;
}

namespace ds::agent {

struct RunConfig {
  std::string task;
  std::string test_cmd;     // empty: no tests (--no-test); the model's finish ends the run as done
  std::string test_source;  // where test_cmd came from: "-t", "detected from pyproject.toml" …
  std::string model = "gpt-4.1";
  edit::Format edit_format = edit::Format::SearchReplace;
  std::vector<std::string> pinned;  // -f FILE
  int max_turns = 30;
  int max_tool_calls = 16;  // per turn; the rest are answered "not run"
  double max_cost = 2.00;   // USD; 0 = no limit
  int test_timeout_s = 600;
  int max_wall_s = 0;                // 0 = no limit
  size_t test_output_tokens = 2500;  // trimmed test output sent to the model
  size_t map_tokens = 4096;          // 0 disables the repo map
  // Changed files larger than this, and binary files, are named in diffs and
  // left out of the patch, never shown (--max-diff-file-size).
  uint64_t max_diff_file_size = edit::kDefaultMaxDiffFileSize;
  bool allow_dirty = false;
  // Fix mode: a change to test files alone may solve the run (the task is
  // about the tests). Off: such a change is reported and the model told to
  // fix the code.
  bool allow_test_edits = false;
  // Reproduce, fix, verify (--reproduce; the batch's standard SWE-bench mode
  // sets it): solved needs a reproduction (set_reproduction) that fails on
  // the base tree and passes at the end, and no regression; without one the
  // run ends unverified. Its files stay out of the patch unless keep_repro.
  bool reproduce = false;
  bool keep_repro = false;
  std::optional<bool> parallel_tool_calls;
  llm::GenerationOptions generation;  // --reasoning-effort, --temperature, --max-output-tokens
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
  // Running MCP servers ([mcp.servers.NAME], --mcp): their tools are offered
  // after the built-in ones. The user's hooks ([hooks]).
  std::vector<std::shared_ptr<mcp::Server>> mcp_servers;
  Hooks hooks;
};

// Solved: the tests pass and the run changed something. Done: no tests
// (--no-test), the model finished with a change. NoChange: the run ended
// with nothing changed since its start (never a success). Unverified
// (--reproduce): a change, but no reproduction failed on the base to prove it.
enum class RunStatus { Solved, Done, Unsolved, NoChange, Error, Interrupted, Unverified };

inline const char* status_name(RunStatus s) {
  switch (s) {
    case RunStatus::Solved:
      return "solved";
    case RunStatus::Done:
      return "done";
    case RunStatus::Unsolved:
      return "unsolved";
    case RunStatus::NoChange:
      return "no_change";
    case RunStatus::Error:
      return "error";
    case RunStatus::Interrupted:
      return "interrupted";
    case RunStatus::Unverified:
      return "unverified";
  }
  return "error";
}

// How the run is judged, from its first test run (DESIGN.md, "The verdict").
// Fix: the tests failed at the start; the first turn after which they pass
// ends the run. Change: they passed; the model ends the run and the tests
// must still pass. Untested: no test command; the model's finish ends it.
enum class RunMode { Fix, Change, Untested };

inline const char* mode_name(RunMode m) {
  switch (m) {
    case RunMode::Fix:
      return "fix";
    case RunMode::Change:
      return "change";
    case RunMode::Untested:
      return "untested";
  }
  return "fix";
}

struct RunOutcome {
  RunStatus status = RunStatus::Error;
  int exit_code = 3;   // DESIGN.md exit codes
  std::string reason;  // why it stopped, for people
  std::string diff;    // start..end, git-apply clean (reproduction files left out unless keep_repro)
  std::string repro_command, repro_diff;  // --reproduce: the reproduction and the diff creating its files
  std::vector<std::string> changed_paths;
  std::string summary;  // the model's finish summary, if any
  RunMode mode = RunMode::Fix;
  int turns = 0;
  llm::Usage usage;
  std::optional<double> cost_usd;
  std::string start_commit, end_commit;  // checkpoint commits
};

}  // namespace ds::agent
