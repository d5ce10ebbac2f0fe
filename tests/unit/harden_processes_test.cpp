// Hardening: processes the test command starts never outlive diffsmith.
// A setsid daemon is killed when the test run ends, and when diffsmith is
// killed with SIGKILL mid-test, the test's processes (in its group or out of
// it) die too. Through the real binary.
#include <catch2/catch.hpp>

#include "support/processes.hpp"
#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

// The python sleepers only: diffsmith's and the shell's command lines hold
// the marker too.
std::vector<pid_t> processes_with(const std::string& marker) {
  return ds::test::processes_with(marker, ds::test::Which::Python);
}
bool none_left(const std::string& marker) { return ds::test::none_left(marker, ds::test::Which::Python); }
void kill_all(const std::string& marker) { ds::test::kill_all(marker, ds::test::Which::Python); }
std::string marker_for(const char* what) {
  return ds::test::unique_marker(std::string("harden_proc_") + what);
}

// A python process that creates `ready` once running, then sleeps 300 s;
// `marker` shows in its command line.
std::string sleeper(const std::string& marker, const std::string& ready) {
  return "python3 -c 'import sys, time; open(sys.argv[1], \"w\").close(); time.sleep(300)' '" + ready + "' " +
         marker;
}

// Shell code that waits until `ready` exists.
std::string wait_for_file(const std::string& ready) {
  return "while [ ! -e '" + ready + "' ]; do sleep 0.05; done";
}

}  // namespace

TEST_CASE("harden processes: a setsid daemon the tests start is gone after the test run") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  TempDir scratch;
  std::string mark = marker_for("daemon");
  // Starts a daemon in a new session that closes its output (and waits until
  // it runs), then passes once a.txt is fixed.
  std::string ready = scratch.path + "/ready";
  std::string test_cmd = "rm -f '" + ready + "'; setsid " + sleeper(mark, ready) +
                         " >/dev/null 2>&1 </dev/null & " + wait_for_file(ready) + "; grep -q fixed a.txt";
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  // Unsandboxed (the plain runner's guarantee): the daemon signals through a file outside the work tree.
  ProcResult r = run_agent(repo, *mock, "fix a.txt", test_cmd, {"--no-sandbox-tests"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(none_left(mark));
  kill_all(mark);
}

TEST_CASE("harden processes: kill -9 of diffsmith mid-test kills the test's processes") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  TempDir scratch;
  std::string mark = marker_for("orphan");
  // One process in the test's group, one in a session of its own, and the
  // test itself waits for them.
  std::string test_cmd = sleeper(mark, scratch.path + "/r1") + " & setsid " +
                         sleeper(mark, scratch.path + "/r2") + " >/dev/null 2>&1 </dev/null & wait";
  auto mock = start_mock(script({}));
  ProcOptions o;
  o.cwd = repo.root();
  Child c(diffsmith_argv(
              {"run", "fix a.txt", "-t", test_cmd, "--base-url", mock->base_url(), "--no-sandbox-tests"}),
          o);
  for (int i = 0; i < 250 && processes_with(mark).size() < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(processes_with(mark).size() == 2);
  c.signal(SIGKILL);
  ProcResult r = c.wait();
  CHECK(r.exit_code == 128 + SIGKILL);
  CHECK(none_left(mark));
  kill_all(mark);
}
