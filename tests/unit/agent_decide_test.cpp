// agent::decide, guide and settle: the run's verdict from the turn's value
// and the run's history, the stall count, and the exit code of each status.
// Pure functions: no repository, no model, no test command.
#include <catch2/catch.hpp>

#include "agent/decide.hpp"
#include "agent/exit_code.hpp"

using namespace ds::agent;

namespace {

TestRun tests(bool passed, std::string text = "") {
  TestRun t;
  t.ran = true;
  t.passed = passed;
  t.exit_code = passed ? 0 : 1;
  t.for_model = text.empty() ? (passed ? "PASSED" : "FAILED") : std::move(text);
  return t;
}

// A turn that edited files (written), with `after` the test run that followed.
TurnResult changed(std::optional<TestRun> after) {
  TurnResult t;
  t.tool_calls = t.edit_attempted = t.files_changed = true;
  t.tests = std::move(after);
  return t;
}

TurnResult finished(std::string summary = "done") {
  TurnResult t;
  t.tool_calls = t.finish_called = true;
  t.summary = std::move(summary);
  return t;
}

History with_change(std::vector<std::string> change, TestRun last = {}) {
  History h;
  h.has_edits = !change.empty();
  h.change = std::move(change);
  h.last_tests = std::move(last);
  return h;
}

}  // namespace

TEST_CASE("decide: fix mode, the tests passing after a change solve the run") {
  auto v = decide(RunMode::Fix, changed(tests(true)), with_change({"calc.py"}));
  REQUIRE(v);
  CHECK(v->status == RunStatus::Solved);
  CHECK(v->reason == "tests pass");
  CHECK(to_int(exit_code_for(v->status)) == 0);
  // Still failing: the run goes on, and a working model is no stall.
  TurnResult failing = changed(tests(false));
  CHECK_FALSE(decide(RunMode::Fix, failing, with_change({"calc.py"})));
  CHECK(guide(RunMode::Fix, failing, with_change({"calc.py"})).stalls == 0);
}

TEST_CASE("decide: the turn's own test run counts, else the last one before it") {
  History h = with_change({"calc.py"}, tests(true));
  TurnResult working;
  working.tool_calls = true;  // read a file, say
  auto v = decide(RunMode::Fix, working, h);
  REQUIRE(v);
  CHECK(v->status == RunStatus::Solved);
  working.tests = tests(false);  // its run_tests call failed
  CHECK_FALSE(decide(RunMode::Fix, working, h));
}

TEST_CASE("decide: change mode, finish with passing tests solves, finish with failing ones is a stall") {
  History h = with_change({"feature.py"}, tests(true));
  auto v = decide(RunMode::Change, finished(), h);
  REQUIRE(v);
  CHECK(v->status == RunStatus::Solved);
  CHECK(v->reason == "the model finished and the tests pass");
  // Passing tests alone do not end a change-mode run.
  CHECK_FALSE(decide(RunMode::Change, changed(tests(true)), h));

  History failing = with_change({"feature.py"}, tests(false, "Test command exited with code 1 (FAILED)"));
  CHECK_FALSE(decide(RunMode::Change, finished(), failing));
  Guidance g = guide(RunMode::Change, finished(), failing);
  CHECK(g.stalls == 1);
  REQUIRE(g.feedback.size() == 1);
  CHECK(g.feedback[0].starts_with("You called finish, but the test command still fails. Keep working"));
  CHECK(g.feedback[0].ends_with("Test command exited with code 1 (FAILED)"));
  REQUIRE(g.test_outputs.size() == 1);
  CHECK(g.test_outputs[0] == "Test command exited with code 1 (FAILED)");
}

TEST_CASE("decide: --no-test, finish with a change is done") {
  auto v = decide(RunMode::Untested, finished(), with_change({"a.txt"}));
  REQUIRE(v);
  CHECK(v->status == RunStatus::Done);
  CHECK(v->reason == "the model finished (no tests were run)");
  CHECK(to_int(exit_code_for(v->status)) == 0);
  TurnResult working = changed(std::nullopt);
  CHECK_FALSE(decide(RunMode::Untested, working, with_change({"a.txt"})));
}

TEST_CASE("decide: finish without a change is no_change with the model's reason") {
  for (RunMode mode : {RunMode::Fix, RunMode::Change, RunMode::Untested}) {
    auto v = decide(mode, finished("\n  The bug is in the vendored library.\nMore detail."), with_change({}));
    REQUIRE(v);
    CHECK(v->status == RunStatus::NoChange);
    CHECK(v->reason == "the model finished without changing any file: The bug is in the vendored library.");
    CHECK(to_int(exit_code_for(v->status)) == 1);
  }
  auto bare = decide(RunMode::Fix, finished(""), with_change({}));
  REQUIRE(bare);
  CHECK(bare->reason == "the model finished without changing any file");
}

TEST_CASE("decide: the third stall in a row ends the run unsolved, an applied change resets the count") {
  History h = with_change({"calc.py"}, tests(false));
  TurnResult stop;  // no tool call, no edit: the model stopped
  stop.tests = tests(false);
  int stalls = 0;
  for (int i = 1; i < kMaxStalls; ++i) {
    h.stalls = stalls;
    CHECK_FALSE(decide(RunMode::Fix, stop, h));
    stalls = guide(RunMode::Fix, stop, h).stalls;
    CHECK(stalls == i);
  }
  h.stalls = stalls;
  auto v = decide(RunMode::Fix, stop, h);
  REQUIRE(v);
  CHECK(v->status == RunStatus::Unsolved);
  CHECK(v->reason == "the model stopped 3 times while the tests still fail");

  // A turn that wrote a file before stopping starts the count again.
  TurnResult edited_then_stopped = finished();
  edited_then_stopped.edit_attempted = edited_then_stopped.files_changed = true;
  edited_then_stopped.tests = tests(false);
  CHECK_FALSE(decide(RunMode::Fix, edited_then_stopped, h));
  CHECK(guide(RunMode::Fix, edited_then_stopped, h).stalls == 1);
}

TEST_CASE("decide: over the budget, a stopped model is no stall") {
  History h = with_change({"calc.py"}, tests(false));
  h.stalls = kMaxStalls - 1;
  TurnResult stop;
  stop.over_budget = true;
  CHECK_FALSE(decide(RunMode::Fix, stop, h));
  CHECK(guide(RunMode::Fix, stop, h).stalls == kMaxStalls - 1);
}

TEST_CASE("decide: --reproduce is solved only by a reproduction that failed on the base and passes now") {
  History h = with_change({"calc.py"}, tests(true));
  h.reproduce = h.repro_set = h.repro_failed_on_base = h.repro_passes_now = true;
  auto v = decide(RunMode::Change, changed(tests(true)), h);
  REQUIRE(v);
  CHECK(v->status == RunStatus::Solved);
  CHECK(v->reason ==
        "the reproduction failed on the base and passes now, and no test that passed at the start fails");

  SECTION("it did not fail on the base") {
    h.repro_failed_on_base = false;
    CHECK_FALSE(decide(RunMode::Change, changed(tests(true)), h));
    Guidance g = guide(RunMode::Change, finished(), h);
    CHECK(g.stalls == 1);
    REQUIRE(g.feedback.size() == 1);
    CHECK(g.feedback[0].starts_with("Your reproduction passes on the unchanged code"));
  }
  SECTION("it still fails") {
    h.repro_passes_now = false;
    CHECK_FALSE(decide(RunMode::Change, changed(tests(true)), h));
  }
  SECTION("a test that passed at the start fails now") {
    TestRun now = tests(false);
    now.delta.known = true;
    now.delta.regressions = {"test_calc.py::test_add"};
    CHECK_FALSE(decide(RunMode::Change, changed(now), h));
    TurnResult stop = finished();
    stop.tests = now;
    Guidance g = guide(RunMode::Change, stop, h);
    CHECK(g.stalls == 1);
    REQUIRE(g.test_outputs.size() == 1);
  }
  SECTION("no reproduction was set") {
    h.repro_set = h.repro_failed_on_base = h.repro_passes_now = false;
    CHECK_FALSE(decide(RunMode::Change, changed(tests(true)), h));
  }
}

TEST_CASE("settle: an unproved change is unverified with --reproduce, an empty change is never a success") {
  Verdict budget{RunStatus::Unsolved, "turn limit reached (--max-turns 3)"};
  Verdict v = settle(budget, true, false, true);
  CHECK(v.status == RunStatus::Unverified);
  CHECK(v.reason ==
        "turn limit reached (--max-turns 3); no reproduction failed on the base tree, so the change is "
        "unverified");
  CHECK(to_int(exit_code_for(v.status)) == 1);
  CHECK(settle(budget, true, true, true).status == RunStatus::Unsolved);    // proved: still unsolved
  CHECK(settle(budget, true, false, false).status == RunStatus::Unsolved);  // nothing changed
  CHECK(settle(budget, false, false, true).status == RunStatus::Unsolved);  // without --reproduce
  for (RunStatus s : {RunStatus::Solved, RunStatus::Done}) {
    Verdict empty = settle(Verdict{s, "tests pass"}, false, false, false);
    CHECK(empty.status == RunStatus::NoChange);
    CHECK(empty.reason == "the run ended with no change to any file");
    CHECK(settle(Verdict{s, "tests pass"}, false, false, true).status == s);
  }
}

TEST_CASE("exit codes: one per status, an error's own") {
  CHECK(exit_code_for(RunStatus::Solved) == ExitCode::Ok);
  CHECK(exit_code_for(RunStatus::Done) == ExitCode::Ok);
  CHECK(exit_code_for(RunStatus::Unsolved) == ExitCode::NotSolved);
  CHECK(exit_code_for(RunStatus::NoChange) == ExitCode::NotSolved);
  CHECK(exit_code_for(RunStatus::Unverified) == ExitCode::NotSolved);
  CHECK(exit_code_for(RunStatus::Interrupted) == ExitCode::Interrupted);
  CHECK(exit_code_for(RunStatus::Error) == ExitCode::Model);
  CHECK(exit_code_for(RunStatus::Error, ExitCode::Repository) == ExitCode::Repository);
  CHECK(exit_code_for(RunStatus::Error, ExitCode::Usage) == ExitCode::Usage);
  CHECK(to_int(exit_code_for(RunStatus::Interrupted)) == 130);
}
