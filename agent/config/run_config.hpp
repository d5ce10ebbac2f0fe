// Everything one `diffsmith run` needs to know, resolved from flags, env and
// config files by agent/cli/run.cpp (or built by the batch runner).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "agent/config/context_options.hpp"
#include "agent/config/exit_codes.hpp"
#include "agent/config/hooks_config.hpp"
#include "diff/diff_limits.hpp"
#include "edit/edit_types.hpp"
#include "exec/process.hpp"
#include "llm/types.hpp"
#include "worktree/syntax_guard.hpp"

namespace ds::mcp {
class Server;
}

namespace ds::agent {

// Best of N (--attempts): the cost and wall time of all attempts together.
// Each attempt's session adds its turns' cost here and checks --max-cost and
// --max-time against the totals (--max-turns stays per attempt).
class SharedBudget {
 public:
  explicit SharedBudget(std::chrono::steady_clock::time_point start) : start_(start) {}
  void add(double usd) {
    std::lock_guard<std::mutex> l(m_);
    if (usd < 0) known_ = false;
    spent_ += usd < 0 ? 0 : usd;
  }
  std::optional<double> spent() const {
    std::lock_guard<std::mutex> l(m_);
    return known_ ? std::optional<double>(spent_) : std::nullopt;
  }
  std::chrono::steady_clock::time_point start() const { return start_; }

 private:
  mutable std::mutex m_;
  double spent_ = 0;
  bool known_ = true;
  std::chrono::steady_clock::time_point start_;
};

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
  uint64_t max_diff_file_size = diff::kDefaultMaxDiffFileSize;
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
  // A first test run that cannot test anything (agent/test_setup.hpp): Stop
  // before the first request; Model: fixing it becomes the model's task
  // (--test-setup-to-model); Trust: only a command that cannot run stops.
  enum class TestSetup { Stop, Model, Trust };
  TestSetup test_setup = TestSetup::Stop;
  // A Progress event this often while tests or a command run (0: none).
  std::chrono::milliseconds progress_every{0};
  std::optional<bool> parallel_tool_calls;
  llm::GenerationOptions generation;  // --reasoning-effort, --temperature, --max-output-tokens
  std::vector<std::string> pass_env;  // key-like variables still passed to tests
  std::string run_id;                 // set by the caller; names the checkpoint ref
  // Turn cost in USD for a model's usage; negative when prices are unknown.
  std::function<double(const std::string& model, const llm::Usage&)> cost_of;
  // What a usage would cost, counted nowhere (cost_of may add to a shared
  // total): the estimate checked against --max-cost before each request.
  // Null: requests are not estimated.
  std::function<double(const std::string& model, const llm::Usage&)> price_of;
  // run_command: the runner for the model's commands (the bwrap sandbox, or
  // the plain runner under --sandbox off); null: the tool is not offered.
  std::shared_ptr<exec::ProcessRunner> command_runner;
  int command_timeout_s = 120;  // the longest one command may run
  // The syntax guard's settings (nullopt: --no-lint), and the guard every
  // edit passes before it is written, made where the runner is known (null:
  // --no-lint).
  std::optional<worktree::SyntaxGuardConfig> lint;
  std::shared_ptr<worktree::SyntaxGuard> syntax_guard;
  // --container: tests (and commands) run in a container of this image
  // (placeholders {id} {id_docker} {repo} {version}); "" = on this machine.
  std::string container_image;
  std::string container_engine;  // resolved path of docker/podman
  std::string container_workdir = "/testbed";
  std::string container_network = "none";
  // Standard SWE-bench mode (batch): the system prompt says hidden tests judge the change.
  bool hidden_tests = false;
  // Old tool and test outputs collapsed to stubs (--keep-turns, --context-tokens, --no-collapse).
  CollapseOptions collapse;
  // Project instructions (AGENTS.md) for the first message (--no-instructions, instructions-bytes).
  InstructionOptions instructions;
  // Best of N (agent/attempts.hpp): --attempts, --agree, --attempts-parallel;
  // `shared_budget` is set on each attempt's copy of the config.
  int attempts = 1;
  int agree = 0;  // 0: run every attempt
  int attempts_parallel = 1;
  std::shared_ptr<SharedBudget> shared_budget;
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

// One attempt of a best-of-N run, as the batch's meta line records it.
struct AttemptResult {
  int attempt = 0;  // 1-based
  std::string status, variation, why;
  bool winner = false;
  std::vector<int> fails_reproduction_of;  // 1-based
  size_t patch_bytes = 0;
};

struct RunOutcome {
  RunStatus status = RunStatus::Error;
  int exit_code = to_int(ExitCode::Model);  // exit_codes.hpp
  std::string reason;                       // why it stopped, for people
  std::string diff;  // start..end, git-apply clean (reproduction files left out unless keep_repro)
  std::string repro_command, repro_diff;  // --reproduce: the reproduction and the diff creating its files
  std::vector<std::string> changed_paths;
  std::string summary;  // the model's finish summary, if any
  RunMode mode = RunMode::Fix;
  int turns = 0;
  llm::Usage usage;
  std::optional<double> cost_usd;
  std::string start_commit, end_commit;  // checkpoint commits
  std::vector<AttemptResult> attempts;   // --attempts N > 1: every attempt
  std::string selection;                 // why the winner won
};

}  // namespace ds::agent
