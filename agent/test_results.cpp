// The runner formats, one row each: a pattern per line and what it means.
#include "agent/test_results.hpp"

#include <algorithm>
#include <regex>

#include "text/lines.hpp"

namespace ds::agent {

namespace {

struct Format {
  const char* runner;
  std::regex pattern;  // group 1: the test id, group 2: the status word (or the reverse, see id_group)
  int id_group, status_group;
};

// Status words of all formats, to an outcome.
bool outcome_of(const std::string& word, TestOutcome& out) {
  static const std::map<std::string, TestOutcome> kWords = {
      {"PASSED", TestOutcome::Passed},
      {"PASS", TestOutcome::Passed},
      {"ok", TestOutcome::Passed},
      {"Passed", TestOutcome::Passed},
      {"XFAIL", TestOutcome::Passed},
      {"xfail", TestOutcome::Passed},
      {"FAILED", TestOutcome::Failed},
      {"FAIL", TestOutcome::Failed},
      {"ERROR", TestOutcome::Failed},
      {"Failed", TestOutcome::Failed},
      {"Exception", TestOutcome::Failed},
      {"Timeout", TestOutcome::Failed},
      {"XPASS", TestOutcome::Failed},
      {"SKIPPED", TestOutcome::Skipped},
      {"SKIP", TestOutcome::Skipped},
      {"skipped", TestOutcome::Skipped},
      {"ignored", TestOutcome::Skipped},
      {"Not Run", TestOutcome::Skipped},
      {"expected failure", TestOutcome::Passed},
      {"unexpected success", TestOutcome::Failed},
  };
  auto it = kWords.find(word);
  if (it == kWords.end()) return false;
  out = it->second;
  return true;
}

const std::vector<Format>& formats() {
  static const std::vector<Format> kFormats = {
      // pytest short summary (-rA, and by default for failures): "FAILED t.py::test_b - msg"
      {"pytest", std::regex(R"(^(PASSED|FAILED|ERROR|XFAIL|XPASS) (\S+::\S+|\S+\.py)( - .*)?$)"), 2, 1},
      // pytest -v: "t.py::test_a PASSED   [ 50%]"
      {"pytest", std::regex(R"(^(\S+::\S+) (PASSED|FAILED|ERROR|XFAIL|XPASS|SKIPPED)( .*)?$)"), 1, 2},
      // unittest -v: "test_add (test_calc.AddTest) ... ok" (3.11+: "(test_calc.AddTest.test_add)")
      {"unittest",
       std::regex(
           R"(^(\w+ \([\w.]+\)).* \.\.\. (ok|FAIL|ERROR|skipped|expected failure|unexpected success)(?: .*)?$)"),
       1, 2},
      // unittest, any verbosity: the header of each failure's traceback
      {"unittest", std::regex(R"(^(FAIL|ERROR): (\w+ \([\w.]+\))$)"), 2, 1},
      // go test -v: "--- FAIL: TestX (0.00s)", subtests indented
      {"go", std::regex(R"(^\s*--- (PASS|FAIL|SKIP): (\S+) \(.*\)$)"), 2, 1},
      // cargo test: "test tests::adds ... ok"
      {"cargo", std::regex(R"(^test (\S+) \.\.\. (ok|FAILED|ignored)\b.*$)"), 1, 2},
      // ctest: "  1/3 Test  #1: name ......   Passed    0.01 sec" / "***Failed"
      {"ctest",
       std::regex(
           R"(^\s*\d+/\d+ Test\s+#\d+: (\S+) \.*\s*(?:\*\*\*)?(Passed|Failed|Exception|Timeout|Not Run)\b.*$)"),
       1, 2},
  };
  return kFormats;
}

// go test -v names tests without their package; the package's own line
// ("ok  \tpkg\t0.1s", "FAIL\tpkg\t0.1s") comes after them.
const std::regex kGoPackage(R"(^(ok|FAIL)\s+(\S+)\s+(\(cached\)|[0-9.]+s).*$)");

void record(TestReport& r, const std::string& id, TestOutcome o) {
  auto [it, fresh] = r.tests.emplace(id, o);
  if (!fresh && o == TestOutcome::Failed) it->second = o;  // a failure wins (pytest: a test and its teardown)
}

}  // namespace

std::vector<std::string> TestReport::failing() const {
  std::vector<std::string> out;
  for (const auto& [id, o] : tests)
    if (o == TestOutcome::Failed) out.push_back(id);
  return out;
}

bool TestReport::has(const std::string& id, TestOutcome o) const {
  auto it = tests.find(id);
  return it != tests.end() && it->second == o;
}

TestReport parse_test_results(std::string_view output) {
  TestReport r;
  std::vector<std::pair<std::string, TestOutcome>> go_pending;
  std::smatch m;
  for (const std::string& raw : text::split_lines(output)) {
    std::string line = raw;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() > 2000) continue;  // no test line is that long; keeps the regexes cheap
    for (const Format& f : formats()) {
      if (!std::regex_match(line, m, f.pattern)) continue;
      TestOutcome o;
      if (!outcome_of(m[f.status_group].str(), o)) continue;
      if (r.runner.empty()) r.runner = f.runner;
      std::string id = m[f.id_group].str();
      if (std::string(f.runner) == "go")
        go_pending.emplace_back(std::move(id), o);
      else
        record(r, id, o);
      break;
    }
    if (!go_pending.empty() && std::regex_match(line, m, kGoPackage)) {
      for (auto& [id, o] : go_pending) record(r, m[2].str() + "." + id, o);
      go_pending.clear();
    }
  }
  for (auto& [id, o] : go_pending) record(r, id, o);  // no package line (a single package)
  return r;
}

bool readable(const TestReport& r, int exit_code) {
  if (exit_code == 0) return true;  // nothing failed, whatever the format
  if (r.runner.empty()) return false;
  return std::any_of(r.tests.begin(), r.tests.end(),
                     [](const auto& t) { return t.second == TestOutcome::Failed; });
}

}  // namespace ds::agent
