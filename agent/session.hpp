// One run of the agent loop: ask the model, apply its edits, run the tests,
// checkpoint, feed back, and stop when the tests pass or a budget runs out.
// The caller (cmd_run, batch) opens the repository, takes the lock and picks
// the run id; the session does everything between run_started and
// run_finished.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "agent/events.hpp"
#include "agent/run_config.hpp"
#include "exec/process.hpp"
#include "llm/types.hpp"
#include "tools/tool.hpp"

namespace ds::git {
class Repository;
}

namespace ds::agent {

class Session {
 public:
  Session(const RunConfig& cfg, git::Repository& repo, llm::Client& client, exec::ProcessRunner& runner,
          EventSink& events, const std::atomic<bool>* interrupted);
  RunOutcome run();

 private:
  struct TestRun {
    bool passed = false;
    std::string for_model;  // formatted, trimmed
  };

  Status start();                       // checkpoint, first test run, initial messages
  Result<llm::Turn> ask_model();        // one request, with the context-length retry
  void handle_turn(const llm::Turn& turn);
  void apply_text_edits(const std::string& text);
  void note_edit_result(const tools::EditApplyResult& r);
  TestRun run_tests();
  void checkpoint(const std::string& message);
  void add_message(llm::Message m);
  bool stop_for_budget();
  bool interrupted() const { return interrupted_ && interrupted_->load(); }
  void finish(RunStatus status, std::string reason);
  std::string status_line() const;
  std::string repeat_notes(const tools::EditApplyResult& r);
  std::string repo_map(const std::vector<std::string>& focus, size_t tokens);

  const RunConfig& cfg_;
  git::Repository& repo_;
  llm::Client& client_;
  exec::ProcessRunner& runner_;
  EventSink& events_;
  const std::atomic<bool>* interrupted_;

  std::vector<tools::Tool> tools_;
  tools::ToolContext tool_ctx_;
  std::vector<llm::Message> messages_;
  std::string ref_;
  RunOutcome out_;
  std::chrono::steady_clock::time_point started_;
  bool cost_known_ = true;

  // Per-turn state.
  bool files_changed_ = false;
  bool finish_called_ = false;
  bool any_change_ = false;              // some turn of this run changed files
  bool unrecorded_edits_ = false;        // edits written since the last checkpoint
  bool last_tests_passed_ = false;
  std::string last_test_text_;
  int stalls_ = 0;                       // finish / empty replies while tests fail
  std::map<std::string, int> failed_blocks_;  // block fingerprint -> turn it failed in
  std::vector<std::string> edited_;  // paths this run's edits changed: repo map focus, final diff
  std::vector<std::string> pending_feedback_;  // user-message parts for after the tool results
};

}  // namespace ds::agent
