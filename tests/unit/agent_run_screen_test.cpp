// End-to-end: what `diffsmith run` shows. Through a pseudo-terminal (stderr
// on a real TTY, colours on), the streamed edit block becomes one `writing
// edit for …` line, the diff shows once, the failing tests' last lines show,
// and the run ends with its summary. With --json, each turn's text is one
// assistant_text event and tests events carry a bounded output excerpt. The
// real binary against the python mock on 127.0.0.1, in a real git repository.

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "support/pty_run.hpp"
#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const char* kCalc = "def add(a, b):\n    return a - b\n";

size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1))
    ++n;
  return n;
}

}  // namespace

TEST_CASE(
    "run screen e2e: on a terminal the edit shows as one line and a diff, failing tests show their end, "
    "the run ends with a summary") {
  TempRepo repo({{"calc.py", kCalc}});
  std::string text = "The sign is wrong.\n" +
                     sr_block("calc.py", "    return a - b\n", "    return a + b\n") +
                     "add() now returns the sum.\n";
  auto mock = start_mock(script({turn({}, text)}));
  PtyRun r = run_on_terminal(repo.root(), {"run", "fix add", "-t", "seq 1 30; grep -q 'a + b' calc.py",
                                           "--base-url", mock->base_url(), "--no-commands"});
  std::string screen = plain(r.screen);
  INFO("terminal:\n" << r.screen);
  REQUIRE(r.exit_code == 0);

  // The prose streams; the block's text does not; one line names the file.
  CHECK(contains(screen, "The sign is wrong.\n"));
  CHECK(contains(screen, "add() now returns the sum.\n"));
  CHECK_FALSE(contains(screen, "<<<<<<<"));
  CHECK_FALSE(contains(screen, ">>>>>>>"));
  CHECK(count(screen, "writing edit for calc.py …\n") == 1);

  // The diff, once, in colour.
  CHECK(count(screen, "-    return a - b\n") == 1);
  CHECK(count(screen, "+    return a + b\n") == 1);
  CHECK(contains(r.screen, "\x1b[32m+    return a + b\x1b[0m"));

  // The failing tests before the change: their last 15 lines.
  CHECK(contains(screen, "before any change: tests failed (exit 1, "));
  CHECK(contains(screen, "  … 15 earlier lines (-v shows them)\n  16\n"));
  CHECK(contains(screen, "  30\n"));
  CHECK_FALSE(contains(screen, "  15\n"));

  // The summary.
  CHECK(contains(screen, "run solved after 1 turn(s): tests pass\n"));
  CHECK(contains(screen, "  changed: calc.py (+1 -1)\n"));
  // No finish call: no summary, not the turn's prose again.
  CHECK(contains(screen, "  no summary: the model did not call finish\n"));
  CHECK_FALSE(contains(screen, "  model: "));
  CHECK(contains(screen, "  1 turn(s) · "));
  CHECK(contains(screen, " tokens in ("));
  CHECK(contains(screen, "% cached), "));
  CHECK(contains(screen,
                 "  next: `git diff` to review · `diffsmith undo` to revert · "
                 "`diffsmith run --continue \"…\"` to go on\n"));

  // stdout (a file here) is the change, as before.
  CHECK(contains(r.out, "diff --git a/calc.py b/calc.py"));
  CHECK(repo.read("calc.py") == "def add(a, b):\n    return a + b\n");
}

TEST_CASE("run screen e2e: --json has one assistant_text per turn and a bounded test-output excerpt") {
  TempRepo repo({{"calc.py", kCalc}});
  std::string first = "A product, maybe.\n" + sr_block("calc.py", "    return a - b\n", "    return a * b\n");
  std::string second = "No: the sum.";
  Value call = tool_call("apply_edits", Value::object().set("edits", sr_block("calc.py", "    return a * b\n",
                                                                              "    return a + b\n")));
  auto mock = start_mock(script({turn({}, first), turn({call}, second)}));
  ProcResult r = run_agent(repo, *mock, "fix add", "seq 1 100; grep -q 'a + b' calc.py", {"--json"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<Value> events = json_lines(r.out);

  std::vector<std::string> texts;
  std::vector<Value> tests;
  for (const auto& e : events) {
    if (e["type"].as_string() == "assistant_text") texts.push_back(e["text"].as_string());
    if (e["type"].as_string() == "tests") tests.push_back(e);
  }
  CHECK(texts == std::vector<std::string>{first, second});

  // Turn 0 and turn 1 fail, turn 2 passes: each carries the last 40 lines.
  std::string expected;
  for (int i = 61; i <= 100; ++i) expected += std::to_string(i) + "\n";
  REQUIRE(tests.size() == 3);
  for (const auto& t : tests) CHECK(t["output_tail"].as_string() == expected);

  const Value& fin = events.back();
  REQUIRE(fin["type"].as_string() == "run_finished");
  REQUIRE(fin["files"].items().size() == 1);
  CHECK(fin["files"].items()[0]["path"].as_string() == "calc.py");
  CHECK(fin["files"].items()[0]["added"].as_int() == 1);
  CHECK(fin["files"].items()[0]["removed"].as_int() == 1);
  CHECK(fin["duration_ms"].as_int() > 0);
}
