// The verdict's rules (DESIGN.md, "The verdict"): a pure function of what
// the turn did and what the run knows, so every rule is a row of a table test
// (tests/unit/agent_verdict_test.cpp) without a repository or a model.
// agent/decide.cpp calls judge(), counts the stalls and makes the run's
// Verdict (status and reason) or the model's next feedback of it.
#pragma once

#include <string>
#include <vector>

#include "agent/config/run_config.hpp"
#include "agent/test_results.hpp"

namespace ds::agent {

// The last test run against the first one (the base): the regression delta.
struct TestDelta {
  bool known = false;                      // both runs' failures are known (test_results.hpp, readable)
  std::vector<std::string> regressions;    // fail now, did not fail on the base (flaky ones excluded)
  std::vector<std::string> fixed;          // failed on the base, do not fail now
  std::vector<std::string> still_failing;  // failed on the base and still fail
};

// `base_failing`: the tests that failed on the base (empty when it passed);
// `base_known`: the base run was readable; `flaky`: tests known to flip on
// an unchanged tree, never counted as regressions.
TestDelta test_delta(const std::vector<std::string>& base_failing, bool base_known, const TestReport& now,
                     int now_exit_code, const std::vector<std::string>& flaky);

// What the model's turn did.
struct TurnFacts {
  bool model_stopped = false;  // finish, or a reply with no tool call and no edit
  bool finish_called = false;
  bool over_budget = false;  // a budget ran out between tool calls
};

// What the run knows after the turn.
struct RunFacts {
  RunMode mode = RunMode::Fix;
  bool has_edits = false;     // the run has written some file (fix mode ends on the first passing run after)
  bool tests_passed = false;  // the last test run exited 0
  TestDelta delta;            // the last test run against the base
  std::vector<std::string> change;  // paths that differ from the start (reproduction files left out)
  bool change_only_tests = false;   // every path of `change` is a test (test_paths.hpp)
  bool allow_test_edits = false;    // --allow-test-edits
  bool reproduce = false;           // --reproduce
  bool repro_set = false;           // set_reproduction was called and its files exist
  bool repro_failed_on_base = false;
  bool repro_passes_now = false;
};

struct Judgement {
  // GiveUp: the model called finish with nothing changed; the run ends no_change.
  enum class Kind { GoOn, Solved, Done, Stall, GiveUp };
  Kind kind = Kind::GoOn;
  std::string reason;                 // Solved/Done/GiveUp: run_finished's reason
  std::string unmet;                  // Stall: what is not done yet ("the tests still fail" …)
  std::string why;                    // Stall: the first sentence the model is told
  bool show_tests = false;            // Stall: the model also gets the last test output
  std::vector<std::string> feedback;  // GoOn: extra parts for the model
  std::string notice;                 // for the user (a change to tests alone, …)
};

Judgement judge(const TurnFacts& turn, const RunFacts& run);

}  // namespace ds::agent
