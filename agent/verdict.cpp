// The verdict rules, in one place.
#include "agent/verdict.hpp"

#include <algorithm>

namespace ds::agent {

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// "a, b, c and 4 more"
std::string listed(const std::vector<std::string>& items, size_t max = 8) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < max; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > max) out += " and " + std::to_string(items.size() - max) + " more";
  return out;
}

const char* kTestOnlyUnmet = "its change touches only test files";

std::string test_only_why(const RunFacts& run) {
  return "Your change touches only test files (" + listed(run.change) +
         "), so the code under test is unchanged and the run is not solved. Fix the code, not the tests: "
         "the tests must pass because the bug is fixed. Leave the tests as they were unless the task asks "
         "to change them";
}

std::string test_only_notice(const RunFacts& run) {
  return "not solved: the change touches only test files (" + listed(run.change) +
         "); the model is told to fix the code (--allow-test-edits when the task is about the tests)";
}

Judgement go_on() { return Judgement{}; }

Judgement solved(std::string reason) {
  Judgement v;
  v.kind = Judgement::Kind::Solved;
  v.reason = std::move(reason);
  return v;
}

Judgement stall(std::string unmet, std::string why, bool show_tests) {
  Judgement v;
  v.kind = Judgement::Kind::Stall;
  v.unmet = std::move(unmet);
  v.why = std::move(why);
  v.show_tests = show_tests;
  return v;
}

// A stall when the model stopped, else going on with `feedback`.
Judgement not_yet(const TurnFacts& turn, Judgement stopped, std::string feedback = {}) {
  if (turn.model_stopped && !turn.over_budget) return stopped;
  Judgement v = go_on();
  v.notice = stopped.notice;
  if (!feedback.empty()) v.feedback.push_back(std::move(feedback));
  return v;
}

std::string still_failing_note(const TestDelta& d) {
  return std::to_string(d.still_failing.size()) + " test(s) failed at the start and still fail (" +
         listed(d.still_failing) + ")";
}

// Reproduce mode: solved only by a reproduction that failed on the base tree
// and passes now, with no regression, and a change beyond tests.
Judgement judge_reproduce(const TurnFacts& turn, const RunFacts& run) {
  bool untested = run.mode == RunMode::Untested;
  bool regress_ok = untested || run.tests_passed || (run.delta.known && run.delta.regressions.empty());
  bool test_only = run.change_only_tests && !run.allow_test_edits;
  if (run.repro_set && run.repro_failed_on_base && run.repro_passes_now && regress_ok &&
      !run.change.empty() && !test_only) {
    std::string reason = "the reproduction failed on the base and passes now";
    if (!untested) reason += ", and no test that passed at the start fails";
    return solved(std::move(reason));
  }
  if (!run.repro_set)
    return not_yet(turn, stall("no reproduction was set",
                               "This run must prove its fix, and no reproduction is set. Write a test or "
                               "script that fails because of the bug, then call set_reproduction with the "
                               "command that runs it and its files; diffsmith checks that it fails on the "
                               "unchanged code",
                               false));
  if (!run.repro_failed_on_base)
    return not_yet(turn, stall("the reproduction does not fail on the base",
                               "Your reproduction passes on the unchanged code, so it reproduces nothing. "
                               "Change it until it fails because of the bug, and call set_reproduction again",
                               false));
  if (run.change.empty())
    return not_yet(
        turn, stall("nothing but the reproduction was changed",
                    "Your change so far is only the reproduction. Fix the code so that it passes", false));
  if (test_only) {
    Judgement v = stall(kTestOnlyUnmet, test_only_why(run), false);
    v.notice = test_only_notice(run);
    return not_yet(turn, v);
  }
  if (!run.repro_passes_now)
    return not_yet(turn, stall("the reproduction still fails",
                               "Your reproduction still fails with your change. Read its output (run it with "
                               "run_command) and fix the code",
                               false));
  return not_yet(turn, stall("tests that passed at the start fail",
                             "Your change breaks tests that passed at the start (" +
                                 listed(run.delta.regressions) + "). Fix the code so that they pass again",
                             true));
}

}  // namespace

TestDelta test_delta(const std::vector<std::string>& base_failing, bool base_known, const TestReport& now,
                     int now_exit_code, const std::vector<std::string>& flaky) {
  TestDelta d;
  d.known = base_known && readable(now, now_exit_code);
  if (!d.known) return d;
  std::vector<std::string> failing = now_exit_code == 0 ? std::vector<std::string>{} : now.failing();
  for (const auto& id : failing)
    if (!contains(base_failing, id) && !contains(flaky, id)) d.regressions.push_back(id);
  for (const auto& id : base_failing) (contains(failing, id) ? d.still_failing : d.fixed).push_back(id);
  return d;
}

Judgement judge(const TurnFacts& turn, const RunFacts& run) {
  // finish with nothing changed (and no reproduction written) is the model
  // giving up: the run ends no_change, with its summary as the explanation.
  if (turn.finish_called && run.change.empty() && !run.repro_set) {
    Judgement v;
    v.kind = Judgement::Kind::GiveUp;
    v.reason = "the model finished without changing any file";
    return v;
  }
  if (run.reproduce) return judge_reproduce(turn, run);
  bool test_only = run.change_only_tests && !run.allow_test_edits;
  switch (run.mode) {
    case RunMode::Fix: {
      // The first turn after which the tests pass ends the run, without
      // another request; so does the model stopping once they pass. A change
      // to test files alone never counts.
      if (run.tests_passed && (run.has_edits || turn.model_stopped)) {
        if (!test_only) return solved("tests pass");
        Judgement v = stall(kTestOnlyUnmet, test_only_why(run), false);
        v.notice = test_only_notice(run);
        return not_yet(turn, v, test_only_why(run) + ".");
      }
      // With per-test results: tests that already failed at the start do
      // not block. The model ends the run once some of them pass and no
      // other test fails.
      const TestDelta& d = run.delta;
      bool delta_ok = d.known && d.regressions.empty() && !d.fixed.empty() && !run.change.empty();
      if (delta_ok && turn.model_stopped) {
        if (!test_only)
          return solved("the model finished; " + std::to_string(d.fixed.size()) +
                        " test(s) that failed at the start pass now, and " + still_failing_note(d) +
                        ", as they did before the change");
        Judgement v = stall(kTestOnlyUnmet, test_only_why(run), false);
        v.notice = test_only_notice(run);
        return not_yet(turn, v);
      }
      std::string hint;
      if (delta_ok)
        hint = "No test that passed at the start fails now, " + std::to_string(d.fixed.size()) +
               " test(s) that failed at the start pass now, and " + still_failing_note(d) +
               ". If those are unrelated to the task, call finish.";
      std::string why = turn.finish_called
                            ? "You called finish, but the test command still fails"
                            : "Your reply had no tool call and no edit, and the test command still fails";
      if (d.known && !d.regressions.empty())
        why += ". Tests that passed at the start fail now: " + listed(d.regressions);
      else if (d.known && d.fixed.empty() && !d.still_failing.empty())
        why += ". None of the tests that failed at the start passes yet";
      return not_yet(turn, stall("the tests still fail", why, true), hint);
    }
    case RunMode::Change:
      // Passing tests do not end the run: the model does, and then they must pass.
      if (turn.model_stopped && run.tests_passed) return solved("the model finished and the tests pass");
      return not_yet(turn,
                     stall("the tests still fail",
                           turn.finish_called
                               ? "You called finish, but the test command still fails"
                               : "Your reply had no tool call and no edit, and the test command still fails",
                           true));
    case RunMode::Untested:
      if (turn.model_stopped) {
        Judgement v;
        v.kind = Judgement::Kind::Done;
        v.reason = "the model finished (no tests were run)";
        return v;
      }
      return go_on();
  }
  return go_on();
}

}  // namespace ds::agent
