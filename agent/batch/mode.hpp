// Standard mode and oracle mode of `diffsmith batch`. Standard (the default)
// gives the model what SWE-bench's rules allow: the problem statement and
// the repository at base_commit. test_patch, FAIL_TO_PASS, PASS_TO_PASS and
// hints_text reach neither the work tree, the prompt nor the test command;
// the placeholders that would carry them are refused. --oracle-tests (and
// --hints) bring them back, labelled, for numbers that are not scores.
#pragma once

#include <string>
#include <vector>

#include "agent/batch/tasks.hpp"
#include "base/result.hpp"

namespace ds::agent {

struct BatchMode {
  bool oracle_tests = false;  // --oracle-tests: test_patch applied, test ids in the test command
  bool hints = false;         // --hints: hints_text appended to the task
  bool standard() const { return !oracle_tests && !hints; }
};

// {tests}, {fail_to_pass}, {test_files}, {tests_file}: the test-command
// placeholders that carry the hidden tests.
const std::vector<std::string>& oracle_placeholders();

// Ok when `cmd` may run in `mode`; else a usage error naming the first
// oracle placeholder in it, why it is refused and --oracle-tests. `where`
// says whose command it is ("--test-cmd", "line 3 (a__b-1): test_cmd").
Status check_test_placeholders(const std::string& cmd, const std::string& where, const BatchMode& mode);

// A standard-mode test command: the task's own test_cmd, else `template_cmd`,
// with {id} {repo} {version} filled in (shell-quoted). "" when neither is set
// (the checkout's detected command or none is used then, see
// standard_test_command). Never expands an oracle placeholder.
std::string given_test_command(const BatchTask& t, const std::string& template_cmd);

struct TaskTests {
  std::string command;  // "" = the run is untested
  std::string source;   // "the task's test_cmd", "--test-cmd", "detected from pytest.ini", "none"
};

// The test command of a standard-mode task checked out at `checkout`: the
// given one (above), else the one detected in the checkout
// (agent/test_detect), else none.
TaskTests standard_test_command(const BatchTask& t, const std::string& template_cmd,
                                const std::string& checkout);

}  // namespace ds::agent
