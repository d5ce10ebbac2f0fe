// End-to-end: what `diffsmith run` shows. Through a pseudo-terminal (stderr
// on a real TTY, colours on), the streamed edit block becomes one `writing
// edit for …` line, the diff shows once, the failing tests' last lines show,
// and the run ends with its summary. With --json, each turn's text is one
// assistant_text event and tests events carry a bounded output excerpt. The
// real binary against the python mock on 127.0.0.1, in a real git repository.
#include <poll.h>
#include <pty.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <string>
#include <vector>

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

// The terminal's text without colour codes and carriage returns.
std::string plain(const std::string& screen) {
  std::string out;
  for (size_t i = 0; i < screen.size(); ++i) {
    if (screen[i] == '\x1b' && i + 1 < screen.size() && screen[i + 1] == '[') {
      i += 2;
      while (i < screen.size() && !(screen[i] >= '@' && screen[i] <= '~')) ++i;
      continue;
    }
    if (screen[i] != '\r') out += screen[i];
  }
  return out;
}

struct PtyRun {
  int exit_code = -1;
  std::string screen;  // everything written to the terminal (stderr)
  std::string out;     // stdout, redirected to a file as `diffsmith run … > fix.patch` does
};

// `diffsmith ARGS` in `cwd` with its terminal a pseudo-terminal (colours on:
// NO_COLOR unset); stdout to a file unless `stdout_on_terminal`.
PtyRun run_on_terminal(const std::string& cwd, const std::vector<std::string>& args,
                       bool stdout_on_terminal = false, int timeout_s = 60) {
  std::vector<std::string> argv = diffsmith_argv(args);
  TempDir scratch;
  std::vector<std::string> env;
  for (auto& kv : clean_environment(scratch.path, {{"TERM", "xterm"}}))
    if (kv.rfind("NO_COLOR=", 0) != 0) env.push_back(kv);
  std::vector<char*> args_c, env_c;
  for (auto& a : argv) args_c.push_back(a.data());
  args_c.push_back(nullptr);
  for (auto& e : env) env_c.push_back(e.data());
  env_c.push_back(nullptr);
  std::string out_path = scratch.path + "/stdout";

  struct winsize ws = {50, 250, 0, 0};  // wide: no line wraps
  int master = -1;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, &ws);
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (!stdout_on_terminal) {
      int out = ::open(out_path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
      if (out < 0 || ::dup2(out, 1) < 0) ::_exit(126);
    }
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::execve(args_c[0], args_c.data(), env_c.data());
    ::_exit(127);
  }
  PtyRun r;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    struct pollfd p = {master, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    ssize_t n = ::read(master, buf, sizeof buf);
    if (n > 0) {
      r.screen.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;  // EIO: every end of the terminal is closed
  }
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) != pid) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  ::close(master);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out_path);
  return r;
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
