// Hardening (issue 21, item 12): after a run is killed mid-apply (SIGKILL,
// placed halfway through its second file write as in harden_dataloss_test),
// the next `run` does not ask the user to commit or stash the half-applied
// files as if they were theirs: it names the interrupted run and says
// `diffsmith undo RUN` (and what --allow-dirty would do). Through the binary.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;

namespace {

const char* kTest = "grep -q 'return 2' calc.py";

std::string edits() {
  return sr_block("calc.py", "    return 1\n", "    return 2\n") +
         sr_block("util.py", "    return 'a'\n", "    return 'b'\n");
}

// The run ids of the repository's runs (refs/diffsmith/<id>), one per line.
std::string run_ids(const TempRepo& repo) {
  std::string refs = repo.git({"for-each-ref", "--format=%(refname:lstrip=2)", "refs/diffsmith/"});
  return refs;
}

}  // namespace

TEST_CASE(
    "harden interrupted run: the next run names the killed run and `diffsmith undo`, not commit or stash") {
  TempRepo repo({{"calc.py", "def f():\n    return 1\n"}, {"util.py", "def g():\n    return 'a'\n"}});
  const std::string before = repo.snapshot();
  auto mock = start_mock(script({edit_turn(edits())}));
  ProcOptions killing;
  killing.env["DIFFSMITH_TEST_KILL_AT_WRITE"] = "2";  // halfway through util.py, calc.py written
  ProcResult killed = run_agent(repo, *mock, "fix calc.py", kTest, {"--map-tokens", "0"}, killing);
  INFO("killed run: " << killed.err);
  REQUIRE(killed.exit_code == 128 + SIGKILL);
  REQUIRE(repo.read("calc.py") == "def f():\n    return 2\n");  // half applied
  REQUIRE(repo.read("util.py") == "def g():\n    return 'a'\n");
  std::string id = run_ids(repo);
  REQUIRE(id.size() > 1);
  id.pop_back();  // the newline

  auto next = start_mock(script({edit_turn(edits())}));
  ProcResult r = run_agent(repo, *next, "fix calc.py", kTest, {"--map-tokens", "0"});
  INFO("next run: " << r.err);
  CHECK(r.exit_code == 4);
  CHECK(next->requests().empty());
  CHECK(contains(r.err, "run " + id + " (started "));
  CHECK(contains(r.err, "was interrupted before it ended"));
  CHECK(contains(r.err, "while changing 1 of them (calc.py)"));
  CHECK(contains(r.err, "`diffsmith undo " + id + "` takes its changes back"));
  CHECK(contains(r.err, "--allow-dirty to run on top of its changes"));
  CHECK_FALSE(contains(r.err, "Commit or stash"));

  // --json: the same message in the run_finished event a consumer waits for.
  ProcResult json = run_agent(repo, *next, "fix calc.py", kTest, {"--map-tokens", "0", "--json"});
  CHECK(json.exit_code == 4);
  CHECK(contains(json.out, "\"status\":\"error\""));
  CHECK(contains(json.out, "diffsmith undo " + id));

  // What the message says works: undo puts the tree back, and a run goes ahead.
  ProcOptions in_repo;
  in_repo.cwd = repo.root();
  ProcResult undo = run_diffsmith({"undo", id}, in_repo);
  INFO("undo: " << undo.out << undo.err);
  REQUIRE(undo.exit_code == 0);
  CHECK(repo.snapshot() == before);
  ProcResult again = run_agent(repo, *next, "fix calc.py", kTest, {"--map-tokens", "0"});
  INFO("after undo: " << again.err);
  CHECK(again.exit_code == 0);
}

TEST_CASE("harden interrupted run: the user's own uncommitted work still gets commit or stash") {
  TempRepo repo({{"calc.py", "def f():\n    return 1\n"}, {"notes.txt", "mine\n"}});
  // A killed run that wrote nothing the user has changed: its files are clean again.
  auto mock = start_mock(script({edit_turn(sr_block("calc.py", "    return 1\n", "    return 2\n"))}));
  ProcOptions killing;
  killing.env["DIFFSMITH_TEST_KILL_AT_WRITE"] = "1";  // killed halfway through calc.py: nothing replaced
  REQUIRE(run_agent(repo, *mock, "fix calc.py", kTest, {"--map-tokens", "0"}, killing).exit_code ==
          128 + SIGKILL);
  REQUIRE(repo.read("calc.py") == "def f():\n    return 1\n");
  repo.write("notes.txt", "mine, changed\n");

  ProcResult r = run_agent(repo, *mock, "fix calc.py", kTest, {"--map-tokens", "0"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 4);
  CHECK(contains(r.err, "e.g. notes.txt). Commit or stash them, or pass --allow-dirty"));
  CHECK_FALSE(contains(r.err, "interrupted"));
}
