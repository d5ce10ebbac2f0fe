// The turn as a value and the verdict on it (DESIGN.md, "The verdict").
// Session::handle_turn returns a TurnResult; the session adds the run's
// History and calls decide(), a pure function: the run's Verdict, or none
// while it goes on (then guide() says what the model is told). Every stall
// rule (the count, its reset by an applied change, the third one ending the
// run, what the model is told) is here; the rules of one turn are judge()'s
// (agent/verdict.cpp). settle() is the last word on any run's end.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/config/run_config.hpp"
#include "agent/exit_code.hpp"
#include "agent/verdict.hpp"

namespace ds::agent {

// One run of the test command.
struct TestRun {
  bool skipped = false;  // not started: the run was interrupted before (no `tests` event, counts for nothing)
  bool ran = false;      // the command started and was not interrupted
  bool passed = false;
  int exit_code = -1;
  bool timed_out = false;
  std::string output;     // raw (capped) output, for start-up errors
  std::string for_model;  // formatted, trimmed
  TestDelta delta;        // against the first run (the base); unknown for the base itself
};

// What one model turn did.
struct TurnResult {
  bool tool_calls = false;      // the reply had tool calls
  bool edit_attempted = false;  // edit blocks or edit tool calls, applied or not
  bool files_changed = false;   // some edit of this turn was written
  bool finish_called = false;
  std::string summary;           // finish's summary
  bool over_budget = false;      // a budget ran out between tool calls
  std::optional<TestRun> tests;  // the turn's last test run (a run_tests call, after its change, a recheck)
  std::vector<std::string> feedback;      // user-message parts for after the tool results
  std::vector<std::string> test_outputs;  // parts of `feedback` that are test output (collapsible)
  // The model says it is done: finish, or a reply with no tool call and no edit.
  bool model_stopped() const { return finish_called || (!tool_calls && !edit_attempted); }
};

// What the run knows besides the turn, gathered after the turn's checks.
struct History {
  TestRun last_tests;               // the last test run before this turn (the first run when no other)
  int stalls = 0;                   // stalls in a row before this turn
  bool has_edits = false;           // the run has written some file
  std::vector<std::string> change;  // paths that differ from the start (reproduction files left out)
  bool change_only_tests = false;   // every path of `change` is a test (test_paths.hpp)
  bool allow_test_edits = false;    // --allow-test-edits
  bool reproduce = false;           // --reproduce
  bool repro_set = false;           // set_reproduction was called and its files exist
  bool repro_failed_on_base = false;
  bool repro_passes_now = false;
};

// How a run ends: run_finished's status and reason. `error_code`: the exit
// code of an Error (a repository failure, a usage error, the model's).
struct Verdict {
  RunStatus status = RunStatus::Error;
  std::string reason;
  ExitCode error_code = ExitCode::Model;
};

// Replies in a row that stop without finishing the task (with no applied
// change between them) before the run ends unsolved.
constexpr int kMaxStalls = 3;

// The run's verdict after `turn`, or none while it goes on.
std::optional<Verdict> decide(RunMode mode, const TurnResult& turn, const History& history);

// What the verdict tells while the run goes on.
struct Guidance {
  std::string notice;                     // for the user (a change to tests alone, …)
  std::vector<std::string> feedback;      // for the model, after the turn's own feedback
  std::vector<std::string> test_outputs;  // parts of `feedback` that are test output
  int stalls = 0;                         // the stall count after this turn
};
Guidance guide(RunMode mode, const TurnResult& turn, const History& history);

// Any run's end, once its patch is known: with --reproduce an unsolved
// change nothing proved (no reproduction failed on the base) is unverified;
// an empty change is never a success.
Verdict settle(Verdict v, bool reproduce, bool proved, bool has_diff);

}  // namespace ds::agent
