// Live progress while tests or a model's command run: on a terminal one
// status line with what runs and for how long, redrawn in place and erased
// before the next line (never with -q, never on a pipe); with --json a
// `progress` event at most every 5 s (none in the trajectory); and a test
// run stopped by Ctrl-C says "interrupted", not "failed". The real binary,
// the scripted mock, a real repository and real slow commands.
#include <signal.h>

#include <catch2/catch.hpp>

#include "support/pty_run.hpp"
#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const char* kCalc = "def add(a, b):\n    return a - b\n";
// Slow while the bug is there (the first run), quick once it is fixed.
const char* kSlowUntilFixed = "if grep -q 'a + b' calc.py; then exit 0; fi; sleep 3; exit 1";

std::string fix_calc() { return sr_block("calc.py", "    return a - b\n", "    return a + b\n"); }

size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1))
    ++n;
  return n;
}

}  // namespace

TEST_CASE("progress e2e: on a terminal, one status line while the tests and a command run, erased after") {
  TempRepo repo({{"calc.py", kCalc}});
  auto mock = start_mock(script({
      turn({tool_call("run_command", Value::object().set("command", "sleep 2; echo slept"))}),
      edit_turn(fix_calc()),
  }));
  PtyRun r =
      run_on_terminal(repo.root(), {"run", "fix add", "-t", kSlowUntilFixed, "--base-url", mock->base_url()});
  INFO("terminal:\n" << r.screen);
  REQUIRE(r.exit_code == 0);
  // The first test run took 3 s: the line counted up, redrawn in place.
  CHECK(contains(r.screen, "\r\x1b[K\x1b[2m… running tests: " + std::string(kSlowUntilFixed) + " · 1 s"));
  CHECK(contains(r.screen, "running tests: " + std::string(kSlowUntilFixed) + " · 2 s"));
  // The model's command too.
  CHECK(contains(r.screen, "… running command: sleep 2; echo slept · 1 s"));
  // Erased before the next line: the result starts at the line's start.
  std::string screen = plain(r.screen);
  CHECK(contains(r.screen, "\r\x1b[K\x1b[31;1mbefore any change: tests failed (exit 1, "));
  CHECK(count(screen, "before any change: tests failed") == 1);
  CHECK(contains(screen, "run solved after 2 turn(s)"));
}

TEST_CASE("progress e2e: no status line with -q, nor on a pipe") {
  SECTION("-q hides it") {
    TempRepo again({{"calc.py", kCalc}});
    auto quiet_mock = start_mock(script({edit_turn(fix_calc())}));
    PtyRun q = run_on_terminal(
        again.root(), {"run", "fix add", "-t", kSlowUntilFixed, "--base-url", quiet_mock->base_url(), "-q"});
    INFO("terminal:\n" << q.screen);
    REQUIRE(q.exit_code == 0);
    CHECK_FALSE(contains(q.screen, "running tests"));
    CHECK(contains(plain(q.screen), "tests failed (exit 1"));
  }
  SECTION("never on a pipe") {
    TempRepo again({{"calc.py", kCalc}});
    auto pipe_mock = start_mock(script({edit_turn(fix_calc())}));
    ProcResult p = run_agent(again, *pipe_mock, "fix add", kSlowUntilFixed);
    INFO("stderr:\n" << p.err);
    REQUIRE(p.exit_code == 0);
    CHECK_FALSE(contains(p.err, "running tests"));
    CHECK_FALSE(contains(p.err, "\x1b[K"));
  }
}

TEST_CASE(
    "progress e2e: --json has a progress event at most every 5 s of a slow test run, none in the "
    "trajectory") {
  TempRepo repo({{"calc.py", kCalc}});
  auto mock = start_mock(script({edit_turn(fix_calc())}));
  const char* slow = "if grep -q 'a + b' calc.py; then exit 0; fi; sleep 7; exit 1";
  ProcResult r = run_agent(repo, *mock, "fix add", slow, {"--json"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<Value> progress;
  std::vector<std::string> order;
  for (const auto& e : json_lines(r.out)) {
    order.push_back(e["type"].as_string());
    if (e["type"].as_string() == "progress") progress.push_back(e);
  }
  REQUIRE(progress.size() == 1);  // 7 s: one at 5 s, not one a second
  CHECK(progress[0]["what"].as_string() == "tests");
  CHECK(progress[0]["command"].as_string() == slow);
  CHECK(progress[0]["turn"].as_int() == 0);
  CHECK(progress[0]["elapsed_ms"].as_int() >= 5000);
  CHECK(progress[0]["elapsed_ms"].as_int() < 7000);
  // Between run_started and the first tests event.
  auto at = std::find(order.begin(), order.end(), "progress");
  CHECK(std::find(order.begin(), at, "run_started") != at);
  CHECK(std::find(order.begin(), at, "tests") == at);
  CHECK_FALSE(contains(repo.trajectories(), "\"progress\""));
}

TEST_CASE("progress e2e: Ctrl-C during the first test run says interrupted, not failed") {
  TempRepo repo({{"calc.py", kCalc}});
  auto mock = start_mock(script({edit_turn(fix_calc())}));
  const char* slow = "sleep 30; exit 1";
  for (bool json : {false, true}) {
    std::vector<std::string> args = {"run", "fix add", "-t", slow, "--base-url", mock->base_url()};
    if (json) args.push_back("--json");
    ProcOptions o;
    o.cwd = repo.root();
    Child child(diffsmith_argv(args), o);
    // Once the tests run (run_started is written first with --json; a
    // second is plenty without).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (json && !contains(child.stdout_so_far(), "run_started") &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    child.signal(SIGINT);
    ProcResult r = child.wait();
    INFO("json " << json << " stderr: " << r.err << " stdout: " << r.out);
    CHECK(r.exit_code == 130);
    CHECK(r.seconds < 15);
    CHECK(mock->requests().empty());
    CHECK_FALSE(contains(r.err, "tests failed (exit -1"));
    if (!json) {
      CHECK(contains(r.err, "before any change: test run interrupted (after 1."));
      CHECK(contains(r.err, "run interrupted"));
    } else {
      bool seen = false;
      for (const auto& e : json_lines(r.out))
        if (e["type"].as_string() == "tests") {
          seen = true;
          CHECK(e["interrupted"].as_bool());
          CHECK_FALSE(e["passed"].as_bool());
        }
      CHECK(seen);
      CHECK(json_lines(r.out).back()["status"].as_string() == "interrupted");
    }
  }
}
