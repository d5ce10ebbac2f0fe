// Redaction where text leaves the user, the real change where the user
// reviews it. A run whose change adds a URL with credentials, and whose tests
// print test ids holding such URLs: on the user's own terminal (a pty) the
// diff and the test ids are shown as they are, each such line marked; the
// trajectory, --json and `show` into a pipe keep them redacted; `show` on a
// terminal shows the real change from the run's checkpoints, marked.
#include <catch2/catch.hpp>

#include "support/pty_run.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const char* kLine = "URL = \"https://alice:s3cretpassw0rd@example.com/api\"\n";
const char* kTestId = "FAILED tests/test_fetch.py::test_get[https://bob:hunter2hunter2@host.test/x]";
const char* kMark = "⚠ secret-like value";

std::string test_cmd() {
  return std::string("grep -q alice config.py || { echo '") + kTestId + "'; exit 1; }";
}

std::string trajectory_text(const TempRepo& repo) {
  std::string all;
  for (const auto& e : fs::directory_iterator(repo.path(".git/diffsmith/runs")))
    if (e.path().extension() == ".jsonl") all += read_file(e.path().string());
  return all;
}

}  // namespace

TEST_CASE("redaction e2e: the own terminal shows the real change and test ids, marked, logs stay redacted") {
  TempRepo repo({{"config.py", "DEBUG = False\n"}});
  auto mock = start_mock(
      script({edit_turn(sr_block("config.py", "DEBUG = False\n", std::string("DEBUG = False\n") + kLine))}));
  PtyRun r = run_on_terminal(
      repo.root(), {"run", "add the URL", "-t", test_cmd(), "--base-url", mock->base_url(), "--no-commands"},
      /*stdout_on_terminal=*/false);
  std::string screen = plain(r.screen);
  INFO("terminal:\n" << screen);
  REQUIRE(r.exit_code == 0);
  // The diff line, as written, with its mark; the failing test's id whole.
  CHECK(contains(screen,
                 std::string("+") + "URL = \"https://alice:s3cretpassw0rd@example.com/api\"  " + kMark));
  CHECK(contains(screen, std::string("  ") + kTestId + "  " + kMark));
  CHECK_FALSE(contains(screen, "+URL = \"https://[redacted]"));
  CHECK_FALSE(contains(screen, "  FAILED tests/test_fetch.py::test_get[https://[redacted]"));
  CHECK(contains(r.out, "s3cretpassw0rd"));  // the patch on stdout: byte for byte
  CHECK(repo.read("config.py") == std::string("DEBUG = False\n") + kLine);

  // What leaves the user's terminal is redacted: the trajectory.
  std::string traj = trajectory_text(repo);
  CHECK(contains(traj, "[redacted]"));
  CHECK_FALSE(contains(traj, "s3cretpassw0rd"));
  CHECK_FALSE(contains(traj, "hunter2hunter2"));

  // `show` into a pipe: redacted; on a terminal: the real change, marked.
  ProcOptions o;
  o.cwd = repo.root();
  ProcResult piped = run_diffsmith({"show"}, o);
  REQUIRE(piped.exit_code == 0);
  CHECK_FALSE(contains(piped.out, "s3cretpassw0rd"));
  CHECK(contains(piped.out, "[redacted]"));
  PtyRun shown = run_on_terminal(repo.root(), {"show"}, /*stdout_on_terminal=*/true);
  std::string show_screen = plain(shown.screen);
  INFO("show on a terminal:\n" << show_screen);
  REQUIRE(shown.exit_code == 0);
  CHECK(contains(show_screen,
                 "+URL = \"https://alice:s3cretpassw0rd@example.com/api\"  " + std::string(kMark)));
}

TEST_CASE("redaction e2e: --json and a pipe are redacted, the test ids too") {
  TempRepo repo({{"config.py", "DEBUG = False\n"}});
  auto mock = start_mock(
      script({edit_turn(sr_block("config.py", "DEBUG = False\n", std::string("DEBUG = False\n") + kLine))}));
  ProcResult json = run_agent(repo, *mock, "add the URL", test_cmd(), {"--json"});
  REQUIRE(json.exit_code == 0);
  CHECK(contains(json.out, "[redacted]"));
  CHECK_FALSE(contains(json.out, "s3cretpassw0rd"));
  CHECK_FALSE(contains(json.out, "hunter2hunter2"));

  TempRepo piped_repo({{"config.py", "DEBUG = False\n"}});
  auto mock2 = start_mock(
      script({edit_turn(sr_block("config.py", "DEBUG = False\n", std::string("DEBUG = False\n") + kLine))}));
  ProcResult piped = run_agent(piped_repo, *mock2, "add the URL", test_cmd());
  REQUIRE(piped.exit_code == 0);
  CHECK_FALSE(contains(piped.err, "s3cretpassw0rd"));  // stderr into a log: redacted
  CHECK_FALSE(contains(piped.err, kMark));
  CHECK(contains(piped.out, "s3cretpassw0rd"));  // the patch itself is the change
}
