// agent::judge, the verdict as a pure function (DESIGN.md, "The verdict"):
// one row per rule, no repository, no model. And its inputs: the test-path
// table, the files a test command runs, per-test results of the common
// runners, and the regression delta against the base.
#include <catch2/catch.hpp>

#include "agent/test_paths.hpp"
#include "agent/test_results.hpp"
#include "agent/verdict.hpp"

using namespace ds::agent;
using Kind = Judgement::Kind;

namespace {

TurnFacts stopped() { return TurnFacts{true, true, false}; }
TurnFacts working() { return TurnFacts{false, false, false}; }

RunFacts fix_run(std::vector<std::string> change, bool passed) {
  RunFacts f;
  f.mode = RunMode::Fix;
  f.has_edits = !change.empty();
  f.tests_passed = passed;
  f.change = change;
  f.change_only_tests = only_test_files(change, {});
  return f;
}

TestReport report(std::map<std::string, TestOutcome> tests, std::string runner = "pytest") {
  TestReport r;
  r.runner = std::move(runner);
  r.tests = std::move(tests);
  return r;
}

}  // namespace

TEST_CASE("verdict table: fix mode, passing tests after a code change solve at once") {
  Judgement v = judge(working(), fix_run({"calc.py"}, true));
  CHECK(v.kind == Kind::Solved);
  CHECK(v.reason == "tests pass");
}

TEST_CASE("verdict table: fix mode, passing tests after a change to test files alone do not solve") {
  SECTION("the model goes on, told to fix the code, and the user is told") {
    Judgement v = judge(working(), fix_run({"test_calc.py"}, true));
    CHECK(v.kind == Kind::GoOn);
    REQUIRE(v.feedback.size() == 1);
    CHECK_THAT(v.feedback[0], Catch::Contains("only test files (test_calc.py)"));
    CHECK_THAT(v.feedback[0], Catch::Contains("Fix the code"));
    CHECK_THAT(v.notice, Catch::Contains("--allow-test-edits"));
  }
  SECTION("finish on it is a stall") {
    Judgement v = judge(stopped(), fix_run({"tests/test_calc.py", "tests/conftest.py"}, true));
    CHECK(v.kind == Kind::Stall);
    CHECK(v.unmet == "its change touches only test files");
  }
  SECTION("--allow-test-edits: solved") {
    RunFacts f = fix_run({"test_calc.py"}, true);
    f.allow_test_edits = true;
    CHECK(judge(working(), f).kind == Kind::Solved);
  }
  SECTION("the code and its test together: solved") {
    CHECK(judge(working(), fix_run({"calc.py", "test_calc.py"}, true)).kind == Kind::Solved);
  }
  SECTION("a file the test command runs counts as a test") {
    RunFacts f = fix_run({"check.sh"}, true);
    f.change_only_tests = only_test_files(f.change, {"check.sh"});
    CHECK(judge(working(), f).kind == Kind::GoOn);
  }
}

TEST_CASE("verdict table: change mode is not touched by the test-only rule (a task to add tests)") {
  RunFacts f = fix_run({"tests/test_new.py"}, true);
  f.mode = RunMode::Change;
  CHECK(judge(working(), f).kind == Kind::GoOn);
  CHECK(judge(stopped(), f).kind == Kind::Solved);
}

TEST_CASE("verdict table: fix mode with per-test results, failures from the start do not block") {
  RunFacts f = fix_run({"calc.py"}, false);
  f.delta.known = true;
  f.delta.fixed = {"test_calc.py::test_add"};
  f.delta.still_failing = {"test_net.py::test_unrelated"};
  SECTION("while the model works: it is told it may finish") {
    Judgement v = judge(working(), f);
    CHECK(v.kind == Kind::GoOn);
    REQUIRE(v.feedback.size() == 1);
    CHECK_THAT(v.feedback[0], Catch::Contains("test_net.py::test_unrelated"));
    CHECK_THAT(v.feedback[0], Catch::Contains("call finish"));
  }
  SECTION("the model finishes: solved, the still-failing tests named") {
    Judgement v = judge(stopped(), f);
    CHECK(v.kind == Kind::Solved);
    CHECK_THAT(v.reason, Catch::Contains("1 test(s) that failed at the start pass now"));
    CHECK_THAT(v.reason, Catch::Contains("test_net.py::test_unrelated"));
  }
  SECTION("a test that passed on the base fails now: not solved") {
    f.delta.regressions = {"test_calc.py::test_sub"};
    Judgement v = judge(stopped(), f);
    CHECK(v.kind == Kind::Stall);
    CHECK_THAT(v.why, Catch::Contains("Tests that passed at the start fail now: test_calc.py::test_sub"));
  }
  SECTION("nothing that failed at the start passes: not solved") {
    f.delta.fixed.clear();
    f.delta.still_failing.push_back("test_calc.py::test_add");
    CHECK(judge(stopped(), f).kind == Kind::Stall);
  }
  SECTION("results unreadable: only a passing command solves") {
    f.delta = TestDelta{};
    CHECK(judge(stopped(), f).kind == Kind::Stall);
  }
  SECTION("a change to tests alone is not solved this way either") {
    f.change = {"test_calc.py"};
    f.change_only_tests = true;
    CHECK(judge(stopped(), f).kind == Kind::Stall);
  }
}

TEST_CASE("verdict table: over budget, a stopped model is not a stall") {
  TurnFacts t = stopped();
  t.over_budget = true;
  CHECK(judge(t, fix_run({"calc.py"}, false)).kind == Kind::GoOn);
}

TEST_CASE("verdict table: reproduce mode needs a reproduction that failed on the base and passes now") {
  RunFacts f = fix_run({"calc.py"}, true);
  f.reproduce = true;
  f.repro_set = f.repro_failed_on_base = f.repro_passes_now = true;
  CHECK(judge(working(), f).kind == Kind::Solved);
  SECTION("no reproduction: passing tests are not enough") {
    f.repro_set = false;
    CHECK(judge(working(), f).kind == Kind::GoOn);
    Judgement v = judge(stopped(), f);
    CHECK(v.kind == Kind::Stall);
    CHECK_THAT(v.why, Catch::Contains("set_reproduction"));
  }
  SECTION("a reproduction that passed on the base cannot solve") {
    f.repro_failed_on_base = false;
    Judgement v = judge(stopped(), f);
    CHECK(v.kind == Kind::Stall);
    CHECK_THAT(v.why, Catch::Contains("reproduces nothing"));
  }
  SECTION("still failing") {
    f.repro_passes_now = false;
    CHECK(judge(stopped(), f).unmet == "the reproduction still fails");
  }
  SECTION("a regression") {
    f.tests_passed = false;
    f.delta.known = true;
    f.delta.regressions = {"t.py::test_b"};
    CHECK(judge(stopped(), f).kind == Kind::Stall);
  }
  SECTION("a failure from the start does not block") {
    f.tests_passed = false;
    f.delta.known = true;
    f.delta.still_failing = {"t.py::test_old"};
    CHECK(judge(working(), f).kind == Kind::Solved);
  }
  SECTION("the change is only the reproduction") {
    f.change.clear();
    CHECK(judge(stopped(), f).unmet == "nothing but the reproduction was changed");
  }
  SECTION("no test command") {
    f.mode = RunMode::Untested;
    f.tests_passed = false;
    CHECK(judge(working(), f).kind == Kind::Solved);
  }
}

TEST_CASE("test paths: the table") {
  for (const char* p : {"test_calc.py", "pkg/calc_test.py", "tests/helpers.py", "a/test/b.c",
                        "spec/x_spec.rb", "src/__tests__/a.js", "web/a.test.js", "web/a.spec.ts",
                        "go/x_test.go", "conftest.py", "src/FooTest.java", "app/tests.py"})
    CHECK(is_test_path(p));
  for (const char* p : {"calc.py", "src/testing.py", "numpy/testing/utils.py", "contest.py", "latest.js",
                        "test.py.bak", "attest/x.py", "src/main_test_helpers.go"})
    CHECK_FALSE(is_test_path(p));
}

TEST_CASE("test paths: the files a test command runs") {
  auto exists = [](const std::string& p) {
    return p == "check.sh" || p == "test_calc.py" || p == "run.py" || p == "a.txt" || p == "pkg/checks.py";
  };
  CHECK(test_command_files("./check.sh", exists) == std::vector<std::string>{"check.sh"});
  CHECK(test_command_files("sh check.sh && echo ok", exists) == std::vector<std::string>{"check.sh"});
  CHECK(test_command_files("python3 run.py -v", exists) == std::vector<std::string>{"run.py"});
  CHECK(test_command_files("python3 -m unittest test_calc", exists) ==
        std::vector<std::string>{"test_calc.py"});
  CHECK(test_command_files("python3 -m pytest -q pkg/checks.py::test_x", exists) ==
        std::vector<std::string>{"pkg/checks.py"});
  CHECK(test_command_files("python3 -m unittest pkg.checks.T.test_a", exists) ==
        std::vector<std::string>{"pkg/checks.py"});
  CHECK(test_command_files("grep -q fixed a.txt", exists).empty());
  CHECK(test_command_files("python3 -c 'import run'", exists).empty());
}

TEST_CASE("test results: the runners' formats") {
  SECTION("pytest short summary and -v") {
    auto r = parse_test_results(
        "t.py::test_a PASSED                                [ 33%]\n"
        "============ short test summary info ============\n"
        "FAILED t.py::test_b - assert 1 == 2\n"
        "ERROR t2.py - ImportError: no module x\n"
        "PASSED t.py::test_c\n"
        "1 failed, 2 passed in 0.1s\n");
    CHECK(r.runner == "pytest");
    CHECK(r.has("t.py::test_a", TestOutcome::Passed));
    CHECK(r.has("t.py::test_c", TestOutcome::Passed));
    CHECK(r.failing() == std::vector<std::string>{"t.py::test_b", "t2.py"});
    CHECK(readable(r, 1));
  }
  SECTION("unittest, -v and the failure headers") {
    auto r = parse_test_results(
        "test_add (test_calc.AddTest.test_add) ... FAIL\n"
        "test_sub (test_calc.AddTest.test_sub) ... ok\n"
        "======\nFAIL: test_add (test_calc.AddTest.test_add)\n");
    CHECK(r.runner == "unittest");
    CHECK(r.failing() == std::vector<std::string>{"test_add (test_calc.AddTest.test_add)"});
    CHECK(r.has("test_sub (test_calc.AddTest.test_sub)", TestOutcome::Passed));
  }
  SECTION("go test -v, with packages") {
    auto r = parse_test_results(
        "=== RUN   TestA\n--- PASS: TestA (0.00s)\n=== RUN   TestB\n--- FAIL: TestB (0.01s)\n"
        "    --- FAIL: TestB/sub (0.00s)\nFAIL\nFAIL\texample.com/m/calc\t0.003s\n"
        "--- PASS: TestC (0.00s)\nok  \texample.com/m/util\t(cached)\n");
    CHECK(r.runner == "go");
    CHECK(r.has("example.com/m/calc.TestA", TestOutcome::Passed));
    CHECK(r.failing() ==
          std::vector<std::string>{"example.com/m/calc.TestB", "example.com/m/calc.TestB/sub"});
    CHECK(r.has("example.com/m/util.TestC", TestOutcome::Passed));
  }
  SECTION("cargo test") {
    auto r = parse_test_results(
        "running 2 tests\ntest tests::adds ... ok\ntest tests::subs ... FAILED\n"
        "test tests::slow ... ignored\n");
    CHECK(r.runner == "cargo");
    CHECK(r.failing() == std::vector<std::string>{"tests::subs"});
    CHECK(r.has("tests::slow", TestOutcome::Skipped));
  }
  SECTION("ctest") {
    auto r = parse_test_results(
        "    Start 1: adds\n1/2 Test #1: adds .............................   Passed    0.01 sec\n"
        "2/2 Test #2: subs .............................***Failed    0.01 sec\n");
    CHECK(r.runner == "ctest");
    CHECK(r.failing() == std::vector<std::string>{"subs"});
    CHECK(r.has("adds", TestOutcome::Passed));
  }
  SECTION("no known format: a failing command cannot be read, a passing one can") {
    auto r = parse_test_results("Segmentation fault\n");
    CHECK(r.runner.empty());
    CHECK_FALSE(readable(r, 139));
    CHECK(readable(r, 0));
  }
}

TEST_CASE("test delta: only tests that did not fail on the base count, flaky ones never") {
  std::vector<std::string> base = {"t.py::old"};
  auto now = report({{"t.py::old", TestOutcome::Failed},
                     {"t.py::new", TestOutcome::Failed},
                     {"t.py::flip", TestOutcome::Failed},
                     {"t.py::ok", TestOutcome::Passed}});
  TestDelta d = test_delta(base, true, now, 1, {"t.py::flip"});
  CHECK(d.known);
  CHECK(d.regressions == std::vector<std::string>{"t.py::new"});
  CHECK(d.still_failing == base);
  CHECK(d.fixed.empty());
  SECTION("a passing command fixed every failure of the base") {
    TestDelta p = test_delta(base, true, TestReport{}, 0, {});
    CHECK(p.known);
    CHECK(p.fixed == base);
    CHECK(p.regressions.empty());
  }
  SECTION("an unreadable base or run: unknown") {
    CHECK_FALSE(test_delta(base, false, now, 1, {}).known);
    CHECK_FALSE(test_delta(base, true, TestReport{}, 1, {}).known);
  }
}

TEST_CASE("verdict table: finish with nothing changed is the model giving up: no_change, in every mode") {
  for (RunMode mode : {RunMode::Fix, RunMode::Change, RunMode::Untested}) {
    RunFacts f = fix_run({}, mode != RunMode::Fix);
    f.mode = mode;
    Judgement v = judge(stopped(), f);
    CHECK(v.kind == Kind::GiveUp);
    CHECK(v.reason == "the model finished without changing any file");
  }
  SECTION("a reply with no tool call is not finish: a stall while the tests fail") {
    CHECK(judge(TurnFacts{true, false, false}, fix_run({}, false)).kind == Kind::Stall);
  }
  SECTION("with a change, finish on failing tests is still a stall") {
    CHECK(judge(stopped(), fix_run({"calc.py"}, false)).kind == Kind::Stall);
  }
  SECTION("--reproduce with a reproduction written: not giving up") {
    RunFacts f = fix_run({}, false);
    f.reproduce = f.repro_set = f.repro_failed_on_base = true;
    CHECK(judge(stopped(), f).kind == Kind::Stall);
  }
}
