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
#include "agent/decide.hpp"
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

  // start(): checkpoint, first test run (which sets the mode), initial
  // messages; a verdict when the run ends before the first request.
  std::optional<Verdict> start();
  std::optional<Verdict> check_test_command(const TestRun& first);
  std::optional<Verdict> next_turn();  // budgets, one request, its turn; a verdict ends the run
  Result<llm::Turn> ask_model();       // one request, with the context-length retry

  // One turn, as a list of passes; its value goes to conclude().
  TurnResult handle_turn(const llm::Turn& turn);
  void record_turn(const llm::Turn& turn);
  void run_tool_calls(const llm::Turn& turn, TurnResult& t);
  void tool_result(const llm::ToolCall& call, const tools::ToolOutcome& o,
                   std::chrono::steady_clock::duration took);  // the tool_result event
  void apply_text_edits(const std::string& text, TurnResult& t);
  void test_and_checkpoint(TurnResult& t);
  // The turn's checks (reproduction, flaky regressions), then decide() and
  // guide() (agent/decide.hpp): the verdict, or the feedback sent.
  std::optional<Verdict> conclude(TurnResult& t);
  History history();
  void recheck_failures(TurnResult& t);  // a regression that passes on a second run is flaky
  void send_feedback(const TurnResult& t);

  void note_edit_result(const worktree::EditApplyResult& r, TurnResult& t);
  TestRun run_tests();
  exec::RunRequest test_request(const std::string& command, const std::string& cwd) const;
  void record_test_results(TestRun& t, ev::Tests& event);  // sets t.delta

  // session_repro.cpp: reproduce, fix, verify.
  std::string set_reproduction(const std::string& command, const std::vector<std::string>& files);
  std::string check_on_base(TurnResult* t);  // runs the reproduction on the base tree plus its files
  void check_reproduction(TurnResult& t);    // on the work tree, when it changed since the last check
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
  void finish(Verdict v);  // the final checkpoint and patch, settle(), run_finished
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

  bool unrecorded_edits_ = false;             // edits written since the last checkpoint
  TestRun last_tests_;                        // the last test run of the turns before (History::last_tests)
  std::optional<TestRun> tool_tests_;         // a run_tests call's run, for the turn that made it
  int stalls_ = 0;                            // History::stalls
  std::map<std::string, int> failed_blocks_;  // block fingerprint -> turn it failed in
  std::vector<std::string> edited_;           // paths this run's edits changed: repo map focus, final diff

  // The regression delta: the first test run's failures, each later run against them.
  bool base_recorded_ = false, base_known_ = false;
  std::vector<std::string> base_failing_;
  std::vector<std::string> flaky_;          // failed, then passed on the unchanged tree (or the reverse)
  std::vector<std::string> command_files_;  // the files the test command runs (test_paths.hpp)
  std::optional<Repro> repro_;
  // --test-setup-to-model: what the first test run showed wrong with the
  // setup, put before the task; a later run passes only once it is fixed.
  std::string setup_task_;
};

}  // namespace ds::agent
