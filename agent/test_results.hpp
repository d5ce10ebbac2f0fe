// Per-test results read from a test command's output, for the regression
// delta against the base (DESIGN.md, "The verdict"). One table of runner
// formats: pytest (its short summary, -rA, and -v lines), unittest -v, go test
// -v, cargo test, ctest. A run whose results cannot be read is judged by the
// command's exit status alone, as before.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ds::agent {

enum class TestOutcome { Passed, Failed, Skipped };

struct TestReport {
  std::string runner;                        // "pytest", "go", …; "" = no known format found
  std::map<std::string, TestOutcome> tests;  // test id -> outcome (failures win over a pass)
  std::vector<std::string> failing() const;  // ids that failed, sorted
  bool has(const std::string& id, TestOutcome o) const;
};

// Reads every line of `output` against the table.
TestReport parse_test_results(std::string_view output);

// Whether the report accounts for the run's failures: the command passed
// (nothing failed), or a known format named at least one failing test (a
// failure we cannot name, such as a crash before any test ran, makes it
// unreadable).
bool readable(const TestReport& r, int exit_code);

}  // namespace ds::agent
