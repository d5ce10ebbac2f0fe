// Whether the first test run of a run could test anything at all: a test
// setup that cannot run (no tests collected, tests that cannot be imported,
// a test runner that is not installed, a command not found) makes every
// paid turn useless, so the session stops before its first request
// (DESIGN.md) or, with --test-setup-to-model, makes fixing it the task.
// The rules are a table per runner (test_setup.cpp), read off the runners'
// real outputs.
#pragma once

#include <string>

namespace ds::agent {

enum class SetupProblem {
  None,
  NoTests,          // the runner ran and found nothing to run (pytest exit 5, ctest "No tests were found")
  CollectionError,  // the tests could not be loaded (a conftest that fails, a missing module)
  RunnerMissing,    // the runner is not there (`No module named pytest`, exit 126/127, "not found")
};

struct SetupCheck {
  SetupProblem problem = SetupProblem::None;
  std::string runner;    // "pytest", "ctest", "go test", "cargo test", "python", "shell"
  std::string what;      // what happened, one clause: "pytest collected no tests (exit 5)"
  std::string evidence;  // the output line that shows it ("" when the exit code says it all)
  std::string fix;       // what the user can do, one sentence
  explicit operator bool() const { return problem != SetupProblem::None; }
};

// Reads one finished test run (its exit code and combined output). Runs
// that were interrupted or timed out are not classified here.
SetupCheck check_test_setup(int exit_code, const std::string& output);

const char* setup_problem_name(SetupProblem p);  // "no_tests", "collection_error", "runner_missing"

}  // namespace ds::agent
