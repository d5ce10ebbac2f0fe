// `diffsmith undo` after `run --commit` / `--branch` (issue 11, "undo that
// undoes"): the commit comes off the branch (or the branch the run made is
// deleted and HEAD goes back), the files and the index are as before the run;
// with commits on top undo refuses and changes nothing; a second undo says
// "already undone"; the default run skips a run that changed nothing. Real
// repositories, the real binary, the mock model.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const char* kTest = "grep -q fixed a.txt";

std::unique_ptr<MockServer> fixing_mock() {
  return start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n")), finish_turn("fix a.txt")}));
}

ProcResult undo(const TempRepo& repo, std::vector<std::string> args = {}) {
  args.insert(args.begin(), "undo");
  ProcOptions o;
  o.cwd = repo.root();
  ProcResult r = run_diffsmith(args, o);
  INFO("undo: " << r.out << r.err);
  return r;
}

// The id of the only run, from `log --json`.
std::string latest_run(const TempRepo& repo) {
  ProcOptions o;
  o.cwd = repo.root();
  ProcResult r = run_diffsmith({"log", "--json"}, o);
  REQUIRE(r.exit_code == 0);
  auto runs = json_lines(r.out);
  REQUIRE_FALSE(runs.empty());
  return runs.front()["run"].as_string();
}

}  // namespace

TEST_CASE("undo e2e: after --commit the branch moves back and files, index and HEAD are as before the run") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  std::string before = repo.snapshot();
  std::string base = repo.git({"rev-parse", "HEAD"});
  auto mock = fixing_mock();
  ProcResult r = run_agent(repo, *mock, "fix a.txt", kTest, {"--commit"});
  INFO("run: " << r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(repo.git({"rev-parse", "HEAD"}) != base);
  std::string commit = repo.git({"rev-parse", "HEAD"}).substr(0, 12);

  ProcResult u = undo(repo);
  REQUIRE(u.exit_code == 0);
  CHECK(contains(u.out, "moved branch main back from the run's commit " + commit));
  CHECK(contains(u.out, "restored 1 file(s)"));
  CHECK(contains(u.out, "run " + latest_run(repo)));
  CHECK(repo.snapshot() == before);
  CHECK(repo.git({"status", "--porcelain"}).empty());

  // A second undo: already undone, nothing changes.
  ProcResult again = undo(repo);
  CHECK(again.exit_code == 0);
  CHECK(contains(again.out, "is already undone"));
  CHECK_FALSE(contains(again.err, "--force"));
  CHECK(repo.snapshot() == before);
}

TEST_CASE("undo e2e: after --branch the branch the run made is deleted and HEAD is back on main") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  std::string before = repo.snapshot();
  auto mock = fixing_mock();
  ProcResult r = run_agent(repo, *mock, "fix a.txt", kTest, {"--branch", "fix-a"});
  INFO("run: " << r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(repo.git({"symbolic-ref", "HEAD"}) == "refs/heads/fix-a\n");

  ProcResult u = undo(repo);
  REQUIRE(u.exit_code == 0);
  CHECK(contains(u.out, "deleted branch fix-a"));
  CHECK(contains(u.out, "switched back to main"));
  CHECK(repo.git({"symbolic-ref", "HEAD"}) == "refs/heads/main\n");
  CHECK(repo.git({"branch", "--list", "fix-a"}).empty());
  CHECK(repo.snapshot() == before);
  CHECK(repo.git({"status", "--porcelain"}).empty());
}

TEST_CASE("undo e2e: with a commit on top of the run's, undo refuses, explains, and changes nothing") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  auto mock = fixing_mock();
  ProcResult r = run_agent(repo, *mock, "fix a.txt", kTest, {"--commit"});
  REQUIRE(r.exit_code == 0);
  std::string run_commit = repo.git({"rev-parse", "HEAD"}).substr(0, 12);
  repo.write("b.txt", "the user's own work\n");
  repo.git({"add", "b.txt"});
  repo.git({"commit", "-q", "-m", "user commit"});
  std::string before = repo.snapshot();
  std::string journal_before = repo.git({"for-each-ref", "refs/diffsmith"});

  ProcResult u = undo(repo);
  CHECK(u.exit_code == 1);
  CHECK(contains(u.err, "1 commit(s) were made on top of the run's commit " + run_commit));
  CHECK(contains(u.err, "git revert " + run_commit));
  CHECK(contains(u.err, "undo changed nothing"));
  CHECK(repo.snapshot() == before);
  CHECK(repo.read("a.txt") == "hello\nfixed\n");
  // Not even an undo record was made.
  CHECK(repo.git({"for-each-ref", "refs/diffsmith"}) == journal_before);
}

TEST_CASE("undo e2e: the default run is the latest that changed something (an API-error run is skipped)") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  std::string before = repo.snapshot();
  auto solving = fixing_mock();
  ProcResult first = run_agent(repo, *solving, "fix a.txt", kTest);
  REQUIRE(first.exit_code == 0);
  std::string solved_run = latest_run(repo);

  // A second run that fails on its first request (401) and changes nothing.
  auto failing = start_mock(script({Value::object().set("status", 401)}), {});
  ProcResult second = run_agent(repo, *failing, "something else", kTest, {"--allow-dirty"});
  REQUIRE(second.exit_code == 3);
  std::string failed_run = latest_run(repo);
  REQUIRE(failed_run != solved_run);

  ProcResult u = undo(repo);
  REQUIRE(u.exit_code == 0);
  CHECK(contains(u.out, "run " + solved_run));
  CHECK_FALSE(contains(u.out, failed_run));
  CHECK(contains(u.out, "restored 1 file(s)"));
  CHECK(repo.snapshot() == before);

  // Named explicitly, the failed run has nothing to undo.
  ProcResult named = undo(repo, {failed_run});
  CHECK(named.exit_code == 0);
  CHECK(contains(named.out, "nothing to undo"));
}
