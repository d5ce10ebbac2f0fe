// check_test_setup: the runners' table. Each rule was read off the runner's
// own output (tests/unit/agent_test_setup_test.cpp runs them for real).
#include "agent/test_setup.hpp"

#include <regex>
#include <vector>

#include "text/lines.hpp"

namespace ds::agent {
namespace {

constexpr int kAnyExit = -1000;
constexpr int kNonZero = -1001;

struct Rule {
  const char* runner;
  int exit_code;       // the runner's exit code, kAnyExit or kNonZero
  const char* line;    // a line matching this is the evidence; its first group is %s in `what`/`fix`
  const char* also;    // some line must match this too ("" for none)
  const char* unless;  // no line may match this ("" for none)
  SetupProblem problem;
  const char* what;
  const char* fix;
};

// First match wins.
const Rule kRules[] = {
    // pytest: exit 5 is "no tests collected"; 4 a usage error (a conftest
    // that cannot be loaded, a path that does not exist); 2 an interrupted
    // session (errors during collection).
    {"pytest", 5, R"(no tests ran|collected 0 items|\d+ deselected)", "", "", SetupProblem::NoTests,
     "pytest collected no tests (exit 5)",
     "Check the paths and the -k/-m expression of the test command, and that the test files are named "
     "test_*.py or *_test.py."},
    {"pytest", 4, R"(^E\s+(\w+(?:Error|Exception)):?)", R"(^ImportError while loading conftest)", "",
     SetupProblem::CollectionError, "pytest could not load a conftest.py (%s, exit 4)",
     "Install the project and its test dependencies where the test command runs (e.g. `pip install -e .`), "
     "or fix the conftest.py the output names."},
    {"pytest", 4, R"(^ERROR: file or directory not found: (.*))", "", "", SetupProblem::NoTests,
     "pytest was given a path that does not exist (%s, exit 4)", "Fix the path in the test command."},
    {"pytest", 2, R"(^E\s+(ModuleNotFoundError): )", R"(Interrupted: \d+ errors? during collection)", "",
     SetupProblem::CollectionError, "pytest could not import a test module (%s during collection, exit 2)",
     "Install the missing module where the test command runs (the project itself: `pip install -e .`). If "
     "writing that module is the task, pass --test-setup-to-model."},
    // `python3 -m RUNNER` without the runner installed.
    {"python", kNonZero, R"(^\S*python[0-9.]*: No module named (\S+))", "", "", SetupProblem::RunnerMissing,
     "the Python that runs the tests has no module %s",
     "Install it for that Python (`python3 -m pip install %s`, or the distribution's package such as "
     "python3-pytest), or point the test command at the Python that has it."},
    {"unittest", kAnyExit, R"(^Ran 0 tests in )", "", "", SetupProblem::NoTests,
     "python -m unittest found no tests",
     "Name the test files test*.py inside importable packages, or name the test modules in the command."},
    // ctest exits 0 when it finds nothing; its complaints go to stderr.
    {"ctest", kAnyExit, R"(^No tests were found!!!)", "", "", SetupProblem::NoTests, "ctest found no tests",
     "Build the project first and run ctest in its build directory (`ctest --test-dir build`); its tests "
     "are the add_test() calls of CMakeLists.txt."},
    {"ctest", kAnyExit, R"(^No test configuration file found!)", "", "", SetupProblem::NoTests,
     "ctest found no CTestTestfile.cmake where it ran",
     "Configure the project with enable_testing() and run ctest in the build directory "
     "(`cmake -S . -B build && ctest --test-dir build`)."},
    // go test and cargo test exit 0 with nothing to run.
    {"go test", 0, R"(\[no test files\])", "", R"(^(ok|FAIL|---|PASS)\b)", SetupProblem::NoTests,
     "go test found no test files",
     "Add *_test.go files, or name the packages that have tests (`go test ./...`)."},
    {"cargo test", 0, R"(^running 0 tests)", "", R"(^running [1-9])", SetupProblem::NoTests,
     "cargo test ran 0 tests", "Add #[test] functions (or tests/*.rs), or check the test name filter."},
};

// `sh -c` reports an unknown command as "sh: 1: NAME: not found" (dash) or
// "NAME: command not found" (bash), exit 127.
bool shell_said_not_found(const std::vector<std::string>& lines) {
  for (const auto& line : lines) {
    bool sh = line.rfind("sh: ", 0) == 0 || line.rfind("/bin/sh: ", 0) == 0 || line.rfind("bash: ", 0) == 0;
    if (sh && (line.ends_with(": not found") || line.ends_with(": command not found"))) return true;
  }
  return false;
}

// The lines a rule reads: the first and the last 300 (a conftest error is
// at the top, a summary at the bottom).
std::vector<std::string> lines_to_read(const std::string& output) {
  std::vector<std::string> lines = text::split_lines(output);
  constexpr size_t kEnd = 300;
  if (lines.size() > 2 * kEnd) lines.erase(lines.begin() + kEnd, lines.end() - kEnd);
  for (auto& l : lines)
    if (!l.empty() && l.back() == '\r') l.pop_back();
  return lines;
}

bool any_line(const std::vector<std::string>& lines, const char* pattern, std::smatch* m = nullptr,
              std::string* matched = nullptr) {
  std::regex re(pattern);
  for (const auto& l : lines) {
    std::smatch local;
    if (std::regex_search(l, local, re)) {
      if (m) *m = local;
      if (matched) *matched = l;
      return true;
    }
  }
  return false;
}

std::string fill(const char* text, const std::string& value) {
  std::string s = text;
  for (size_t at; (at = s.find("%s")) != std::string::npos;) s.replace(at, 2, value);
  return s;
}

}  // namespace

SetupCheck check_test_setup(int exit_code, const std::string& output) {
  std::vector<std::string> lines = lines_to_read(output);
  if (exit_code == 126)
    return {SetupProblem::RunnerMissing, "shell", "cannot run (exit 126: not executable)", "",
            "Make the test command's program executable, or run it through its interpreter."};
  if (exit_code == 127 || (exit_code != 0 && shell_said_not_found(lines)))
    return {SetupProblem::RunnerMissing, "shell",
            "cannot run (exit " + std::to_string(exit_code) + ": command not found)", "",
            "Install the program or fix its name in the test command."};
  for (const Rule& r : kRules) {
    if (r.exit_code == kNonZero ? exit_code == 0 : r.exit_code != kAnyExit && r.exit_code != exit_code)
      continue;
    std::smatch m;
    std::string evidence;
    if (!any_line(lines, r.line, &m, &evidence)) continue;
    if (*r.also && !any_line(lines, r.also)) continue;
    if (*r.unless && any_line(lines, r.unless)) continue;
    std::string value = m.size() > 1 ? m[1].str() : std::string();
    return {r.problem, r.runner, fill(r.what, value), evidence, fill(r.fix, value)};
  }
  return {};
}

const char* setup_problem_name(SetupProblem p) {
  switch (p) {
    case SetupProblem::None:
      return "none";
    case SetupProblem::NoTests:
      return "no_tests";
    case SetupProblem::CollectionError:
      return "collection_error";
    case SetupProblem::RunnerMissing:
      return "runner_missing";
  }
  return "none";
}

}  // namespace ds::agent
