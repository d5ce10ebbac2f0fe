// One run of the agent loop: ask the model, apply its edits, run the tests,
// checkpoint, feed back, and stop when the verdict rules (DESIGN.md, "The
// verdict") say the run is over or a budget runs out. The caller (cli/run,
// batch) opens the repository, takes the lock and picks the run id; the
// session does everything between run_started and run_finished.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/config/run_config.hpp"
#include "agent/context_window.hpp"
#include "agent/events.hpp"
#include "agent/test_results.hpp"
#include "agent/verdict.hpp"
#include "exec/process.hpp"
#include "llm/types.hpp"
#include "tools/tool.hpp"

namespace ds::git {
class Repository;
}

namespace ds::exec {
struct OverlayTree;
}

namespace ds::agent {

// A follow-up (`run --continue`): the conversation of the run it continues.
struct Continuation {
  std::string run_id;                  // the run continued (run_started's `continues`)
  std::string first_run_id;            // the first run of the conversation: its prompt cache key
  std::vector<llm::Message> messages;  // the conversation so far, system prompt first
};

class Session {
 public:
  Session(const RunConfig& cfg, git::Repository& repo, llm::Client& client, exec::ProcessRunner& runner,
          EventSink& events, const std::atomic<bool>* interrupted);
  // Makes this run a follow-up: the conversation is `c.messages` then the
  // task as a new user message (follow_up_message). Call before run().
  void continue_from(Continuation c) { continues_ = std::move(c); }
  RunOutcome run();

 private:
  struct TestRun {
    bool ran = false;  // the command started and was not interrupted
    bool passed = false;
    int exit_code = -1;
    bool timed_out = false;
    std::string output;     // raw (capped) output, for start-up errors
    std::string for_model;  // formatted, trimmed
  };

  // The reproduction (--reproduce) once set_reproduction was called.
  struct Repro {
    std::string command;
    std::vector<std::string> files;
    std::map<std::string, std::string> checked;  // file -> content its base check ran with
    bool failed_on_base = false;
    bool passes_now = false;
    std::string checked_at;  // the checkpoint passes_now was measured on
  };
  struct ReproRun {
    bool ran = false, passed = false;
    int exit_code = -1;
    std::string output, error;
    bool overlay_failed = false;  // the overlay could not be set up: nothing ran
  };

  // What one model turn did; reset at the start of every turn.
  struct TurnState {
    bool tool_calls = false;      // the reply had tool calls
    bool edit_attempted = false;  // edit blocks or edit tool calls, applied or not
    bool files_changed = false;   // some edit of this turn was written
    bool finish_called = false;
    bool over_budget = false;               // a budget ran out between tool calls
    std::vector<std::string> feedback;      // user-message parts for after the tool results
    std::vector<std::string> test_outputs;  // parts of `feedback` that are test output (collapsible)
    // The model says it is done: finish, or a reply with no tool call and no edit.
    bool model_stopped() const { return finish_called || (!tool_calls && !edit_attempted); }
  };

  // start(): checkpoint, first test run (which sets the mode), initial messages.
  bool start();
  bool check_test_command(const TestRun& first);
  Result<llm::Turn> ask_model();  // one request, with the context-length retry

  // One turn, as a list of passes.
  void handle_turn(const llm::Turn& turn);
  void record_turn(const llm::Turn& turn);
  void run_tool_calls(const llm::Turn& turn, TurnState& ts);
  void tool_result(const llm::ToolCall& call, const tools::ToolOutcome& o,
                   std::chrono::steady_clock::duration took);  // the tool_result event
  void apply_text_edits(const std::string& text, TurnState& ts);
  void test_and_checkpoint(TurnState& ts);
  void decide(TurnState& ts);
  RunFacts run_facts();
  void recheck_failures(TurnState& ts);  // a regression that passes on a second run is flaky
  void stall(const Verdict& v, TurnState& ts);
  void send_feedback(TurnState& ts);

  void note_edit_result(const worktree::EditApplyResult& r, TurnState& ts);
  TestRun run_tests();
  exec::RunRequest test_request(const std::string& command, const std::string& cwd) const;
  void record_test_results(const TestRun& t, ev::Tests& event);

  // session_repro.cpp: reproduce, fix, verify.
  std::string set_reproduction(const std::string& command, const std::vector<std::string>& files);
  std::string check_on_base(TurnState* ts);  // runs the reproduction on the base tree plus its files
  void check_reproduction(TurnState& ts);    // on the work tree, when it changed since the last check
  // `overlay`: the base tree mounted at `cwd` for the run (session_repro.cpp).
  ReproRun run_reproduction(const std::string& cwd, const std::string& tree,
                            const exec::OverlayTree* overlay = nullptr);
  bool is_repro_file(const std::string& path) const;
  std::vector<std::string> changed_code();  // paths changed since the start, reproduction files left out
  // The user's hooks (agent/session_hooks.cpp): before_tool's block reason
  // ("" to go on); after_edit's own changes become this turn's edits.
  std::string before_tool_hook(const llm::ToolCall& call);
  void after_edit_hook();
  void checkpoint(const std::string& message);
  void add_message(llm::Message m, const std::vector<std::string>& test_outputs = {});
  void note_collapse(const Collapsed& c, const char* why);
  std::string budget_exceeded() const;      // why the run must stop, or ""
  std::string request_over_budget() const;  // the next request's estimate exceeds --max-cost's rest, or ""
  bool interrupted() const { return interrupted_ && interrupted_->load(); }
  void finish(RunStatus status, std::string reason, int exit_code = -1);
  std::string status_line(const llm::Turn& turn, double cost) const;  // the turn's, then the run's
  std::string repeat_notes(const worktree::EditApplyResult& r);
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
  ContextWindow window_;    // what of messages_ the requests carry
  Continuation continues_;  // empty run_id: a new conversation
  std::string ref_;
  RunOutcome out_;
  std::chrono::steady_clock::time_point started_;
  bool cost_known_ = true;

  bool unrecorded_edits_ = false;  // edits written since the last checkpoint
  bool last_tests_passed_ = false;
  std::string last_test_text_;
  int stalls_ = 0;  // replies that stopped without finishing the task; reset by an applied change
  std::map<std::string, int> failed_blocks_;  // block fingerprint -> turn it failed in
  std::vector<std::string> edited_;           // paths this run's edits changed: repo map focus, final diff

  // The regression delta: the first test run's failures, the last run against them.
  bool base_recorded_ = false, base_known_ = false;
  std::vector<std::string> base_failing_;
  TestReport last_report_;
  TestDelta delta_;
  std::vector<std::string> flaky_;          // failed, then passed on the unchanged tree (or the reverse)
  std::vector<std::string> command_files_;  // the files the test command runs (test_paths.hpp)
  std::optional<Repro> repro_;
  // --test-setup-to-model: what the first test run showed wrong with the
  // setup, put before the task; a later run passes only once it is fixed.
  std::string setup_task_;
};

}  // namespace ds::agent
