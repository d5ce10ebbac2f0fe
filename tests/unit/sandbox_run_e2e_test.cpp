// run_command end to end: the real binary, the mock model, a real repository
// and the real bwrap sandbox. A command's output reaches the model; files a
// command writes become an edit that the next test run sees, that is in the
// run's diff, and that `diffsmith undo` removes; --no-commands and a sandbox
// that cannot start both leave the tool out; tests run in the sandbox.
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

Value command_turn(const std::string& command) {
  return turn({tool_call("run_command", Value::object().set("command", command))});
}

bool offers(const Value& request, const std::string& tool) {
  auto names = tool_names(request);
  return std::find(names.begin(), names.end(), tool) != names.end();
}

}  // namespace

TEST_CASE(
    "run_command e2e: output reaches the model - a written file is an edit the tests see - undo removes it") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  std::string before = repo.snapshot();
  auto mock = start_mock(script({
      command_turn("echo sandbox-says-hi; cat a.txt; exit 3"),
      command_turn("sed -i s/broken/fixed/ a.txt && echo generated > gen.txt"),
  }));

  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt && test -f gen.txt");
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);  // solved by the command's change, seen by the test run after the turn
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 2);
  CHECK(offers(reqs[0], "run_command"));
  std::string second = all_text(reqs[1]);
  CHECK(contains(second, "Command exited with code 3"));
  CHECK(contains(second, "sandbox-says-hi\nhello\nbroken\n"));

  CHECK(repo.read("a.txt") == "hello\nfixed\n");
  CHECK(contains(r.out, "diff --git a/a.txt b/a.txt"));
  CHECK(contains(r.out, "-broken\n+fixed\n"));
  CHECK(contains(r.out, "+++ b/gen.txt"));

  ProcOptions in_repo;
  in_repo.cwd = repo.root();
  ProcResult undo = run_diffsmith({"undo"}, in_repo);
  INFO("undo: " << undo.out << undo.err);
  REQUIRE(undo.exit_code == 0);
  CHECK_FALSE(repo.exists("gen.txt"));
  CHECK(repo.snapshot() == before);
}

TEST_CASE("run_command e2e: --json shows the command's change as a diff event") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  auto mock = start_mock(script({command_turn("sed -i s/broken/fixed/ a.txt")}));
  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt", {"--json"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  bool diff_seen = false;
  for (const auto& e : json_lines(r.out))
    if (e["type"].as_string() == "diff" && e["source"].as_string() == "run_command")
      diff_seen = contains(e["diff"].as_string(), "+fixed");
  CHECK(diff_seen);
}

TEST_CASE("run_command e2e: --no-commands leaves the tool out") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt", {"--no-commands"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(mock->requests().size() == 1);
  CHECK_FALSE(offers(mock->requests()[0], "run_command"));
  CHECK(offers(mock->requests()[0], "run_tests"));
}

TEST_CASE("run_command e2e: a sandbox that cannot start: one notice, no tool, nothing unsandboxed") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  TempDir bin;
  write_file(bin.path + "/bwrap",
             "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n");
  ::chmod((bin.path + "/bwrap").c_str(), 0755);
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcOptions opts;
  opts.env["PATH"] = bin.path + ":" + std::string(::getenv("PATH"));
  // With tests to sandbox (the default) the run would stop; opting out of
  // that leaves the commands' case (sandbox_tests_default_test.cpp has the other).
  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt", {"--no-sandbox-tests"}, opts);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.err, "run_command is not offered"));
  CHECK(contains(r.err, "user namespace"));
  CHECK(contains(r.err, "--sandbox off"));
  REQUIRE(mock->requests().size() == 1);
  CHECK_FALSE(offers(mock->requests()[0], "run_command"));
}

TEST_CASE("run_command e2e: --sandbox off is the user's explicit choice, and says so") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  TempDir outside;
  auto mock =
      start_mock(script({command_turn("echo x > " + outside.path + "/f; sed -i s/broken/fixed/ a.txt")}));
  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt", {"--sandbox", "off"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.err, "WITHOUT a sandbox"));
  CHECK(fs::exists(outside.path + "/f"));  // unsandboxed indeed
}

TEST_CASE("run_command e2e: the test command runs in the sandbox (--sandbox-tests, the default)") {
  // Fails if it can write under .git/ (it can, outside the sandbox).
  const char* test_cmd = "if touch .git/ds-probe 2>/dev/null; then exit 9; fi; grep -q fixed a.txt";
  for (std::vector<std::string> flags :
       {std::vector<std::string>{"--no-commands"}, {"--sandbox-tests", "--no-commands"}}) {
    TempRepo repo({{"a.txt", "hello\nbroken\n"}});
    auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
    ProcResult r = run_agent(repo, *mock, "fix a.txt", test_cmd, flags);
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 0);
    CHECK_FALSE(repo.exists(".git/ds-probe"));
  }
}

TEST_CASE("diffsmith sandbox -- CMD runs in the model's sandbox") {
  TempRepo repo({{"a.txt", "hello\n"}});
  ProcOptions in_repo;
  in_repo.cwd = repo.root();
  ProcResult r = run_diffsmith(
      {"sandbox", "--", "sh", "-c", "cat a.txt; echo x > .git/evil; echo rc=$?; exit 5"}, in_repo);
  CHECK(r.exit_code == 5);
  CHECK(contains(r.out, "hello\n"));
  CHECK(contains(r.out, "rc=2"));
  CHECK_FALSE(repo.exists(".git/evil"));
  ProcResult line = run_diffsmith({"sandbox", "--", "echo $HOME > home.txt"}, in_repo);
  CHECK(line.exit_code == 0);
  CHECK(repo.read("home.txt") == "/tmp/home\n");
}
