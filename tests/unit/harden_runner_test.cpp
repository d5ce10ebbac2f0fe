// Hardening: the test command's limits through the real binary. A command
// that hangs is killed with its process group at --test-timeout and the run
// goes on; one that prints a gigabyte leaves diffsmith's memory bounded and
// the model a capped output with a note; a daemon it spawns is killed; one
// that reads stdin gets end-of-file at once. (src/exec's own unit tests cover
// the runner; these prove the run wires it up that way.)
#include <catch2/catch.hpp>

#include "support/processes.hpp"
#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const std::map<std::string, std::string> kRepo = {{"a.txt", "hello\nbroken\n"}};

Value fix_turn() { return edit_turn(sr_block("a.txt", "broken\n", "fixed\n")); }

using ds::test::none_left;
std::string marker_for(const char* what) { return ds::test::unique_marker(std::string("harden_") + what); }

// The content of the user message that carried the first test result.
std::string first_test_text(const Value& request) {
  for (const auto& m : messages_of(request))
    if (m["role"].as_string() == "user" && contains(m["content"].as_string(), "Test command exited"))
      return m["content"].as_string();
  return {};
}

}  // namespace

TEST_CASE("harden runner: a hanging test command is killed with its group at --test-timeout") {
  TempRepo repo(kRepo);
  std::string mark = marker_for("hang");
  // Fails at the start; once a.txt says "fixed" it hangs (a background child
  // hangs too) until a.txt also says "done".
  std::string test_cmd = "grep -q fixed a.txt || exit 1; grep -q done a.txt && exit 0; (sleep 300; echo " +
                         mark + ") & python3 -c 'import time; time.sleep(300)' " + mark;
  auto mock = start_mock(script({fix_turn(), edit_turn(sr_block("a.txt", "fixed\n", "fixed done\n"))}));
  ProcResult r = run_agent(repo, *mock, "fix a.txt", test_cmd, {"--test-timeout", "1"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.seconds < 20);  // not a speed check: without the kill this takes 300 s
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 2);
  CHECK(contains(messages_of(reqs[1]).back()["content"].as_string(), "killed at the timeout"));
  CHECK(none_left(mark));
}

TEST_CASE("harden runner: a test command that hangs at the start stops the run before any request") {
  TempRepo repo(kRepo);
  std::string mark = marker_for("hang0");
  std::string test_cmd = "(sleep 300; echo " + mark + ") & python3 -c 'import time; time.sleep(300)' " + mark;
  auto mock = start_mock(script({fix_turn()}));
  ProcResult r = run_agent(repo, *mock, "fix a.txt", test_cmd, {"--test-timeout", "1"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "timed out at the start"));
  CHECK(mock->requests().empty());
  CHECK(none_left(mark));
}

TEST_CASE("harden runner: a gigabyte of test output keeps diffsmith's memory bounded") {
  TempRepo repo(kRepo);
  // Prints 1 GB, then fails; passes once a.txt is fixed.
  std::string test_cmd =
      "grep -q fixed a.txt && exit 0; yes 'harden output line' | head -c 1000000000; exit 1";
  auto mock = start_mock(script({fix_turn()}));
  std::vector<std::string> argv = {"/usr/bin/time", "-f", "maxrss_kb=%M", DIFFSMITH_BINARY, "run",
                                   "fix a.txt",     "-t", test_cmd,       "--base-url",     mock->base_url()};
  if (!fs::exists("/usr/bin/time")) {
    WARN("/usr/bin/time is missing; memory is not measured");
    argv.erase(argv.begin(), argv.begin() + 3);
  }
  ProcOptions o;
  o.cwd = repo.root();
  o.timeout_s = 120;
  // Under ASan (CI's sanitizer build) freed buffers wait in a quarantine of up
  // to 256 MB before reuse, which alone takes a 1 GB stream of reads near the
  // bound; a small quarantine measures diffsmith's own memory. Ignored by an
  // ordinary build.
  o.env["ASAN_OPTIONS"] = "quarantine_size_mb=16";
  ProcResult r = run_process(argv, o);
  INFO("stderr: " << r.err.substr(r.err.size() > 2000 ? r.err.size() - 2000 : 0));
  CHECK(r.exit_code == 0);
  size_t at = r.err.rfind("maxrss_kb=");
  if (at != std::string::npos) {
    long kb = std::stol(r.err.substr(at + 10));
    WARN("diffsmith peak RSS with 1 GB of test output: " << kb / 1024 << " MB in " << r.seconds << " s");
    CHECK(kb < 512 * 1024);
  }
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 1);
  std::string text = first_test_text(reqs[0]);
  CHECK(contains(text, "harden output line"));
  CHECK(text.size() < 64 * 1024);  // capped and trimmed for the model, with a note
  CHECK((contains(text, "cut") || contains(text, "omitted") || contains(text, "truncated")));
}

TEST_CASE("harden runner: a daemon started by the test command is killed, stdin is at EOF") {
  TempRepo repo(kRepo);
  std::string mark = marker_for("daemon");
  TempDir scratch;
  // Detaches a daemon (double fork, output closed), then reads stdin: that
  // must see end-of-file at once, not wait for a terminal.
  std::string test_cmd = "(python3 -c 'import time; time.sleep(300)' " + mark +
                         " >/dev/null 2>&1 </dev/null &); cat > '" + scratch.path +
                         "/stdin.txt'; read x; echo read_rc=$?; grep -q fixed a.txt";
  auto mock = start_mock(script({fix_turn()}));
  ProcResult r = run_agent(repo, *mock, "fix a.txt", test_cmd);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.seconds < 20);  // not a speed check: a `cat` waiting on stdin would block until the 600 s timeout
  CHECK(read_file(scratch.path + "/stdin.txt").empty());
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 1);
  CHECK(contains(first_test_text(reqs[0]), "read_rc=1"));
  CHECK(none_left(mark));
}
