// The write journal and plan_undo (issue 15, item 4): a run killed between
// two checkpoints wrote files no checkpoint records; the journal, written
// before each write, tells undo which files they are and which contents were
// the run's.
#include <catch2/catch.hpp>

#include "git/checkpoint.hpp"
#include "support/git_repo.hpp"
#include "worktree/apply.hpp"
#include "worktree/journal.hpp"
#include "worktree/undo.hpp"

using namespace ds::git;
using namespace ds::worktree;
using ds::git::testing::open_repo;
using ds::git::testing::TempRepo;

namespace {

RunRef run_named(Repository& r, const std::string& ref) {
  auto refs = list_refs(r);
  REQUIRE(refs.ok());
  for (const auto& run : *refs)
    if (run.name == ref) return run;
  FAIL("no run " << ref);
  return {};
}

}  // namespace

TEST_CASE("writes are journaled under the run of the last checkpoint, before they happen") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.write("gone.txt", "bye\n");
  repo.commit_all();
  auto r = open_repo(repo);

  // No checkpoint yet (e.g. `diffsmith apply`): nothing is journaled.
  REQUIRE(apply_changes(r, {{"a.txt", "a\n", "b\n"}}).ok());
  CHECK(r.journal_ref().empty());

  REQUIRE(checkpoint(r, "refs/diffsmith/run-1", "start").ok());
  CHECK(r.journal_ref() == "refs/diffsmith/run-1");
  REQUIRE(apply_changes(r, {{"a.txt", "b\n", "c\n"},
                            {"new dir/with space \xC3\xA9.txt", std::nullopt, "n\n"},
                            {"gone.txt", "bye\n", std::nullopt}})
              .ok());
  auto journal = read_journal(r, "refs/diffsmith/run-1");
  REQUIRE(journal.ok());
  REQUIRE(journal->size() == 3);
  CHECK((*journal)[0].path == "a.txt");
  CHECK((*journal)[0].blob == repo.git("hash-object a.txt").substr(0, 40));
  CHECK((*journal)[1].path == "new dir/with space \xC3\xA9.txt");
  CHECK((*journal)[2].path == "gone.txt");
  CHECK((*journal)[2].blob.empty());
  // It lives in this work tree's git dir.
  CHECK(repo.exists(".git/diffsmith/journal/refs%2Fdiffsmith%2Frun-1"));

  // A refused change (stale input) journals nothing.
  REQUIRE_FALSE(apply_changes(r, {{"a.txt", "not on disk\n", "x\n"}}).ok());
  CHECK(read_journal(r, "refs/diffsmith/run-1")->size() == 3);
}

TEST_CASE("plan_undo finds the files a run wrote after its last checkpoint") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.write("b.txt", "b\n");
  repo.commit_all();
  repo.write("a.txt", "a\nuser's uncommitted line\n");
  auto r = open_repo(repo);
  const std::string ref = "refs/diffsmith/killed";
  REQUIRE(checkpoint(r, ref, "start").ok());
  // The run writes, then "dies": no end checkpoint.
  REQUIRE(apply_changes(r, {{"a.txt", "a\nuser's uncommitted line\n", "A\nuser's uncommitted line\n"},
                            {"c.txt", std::nullopt, "new\n"}})
              .ok());
  RunRef run = run_named(r, ref);
  CHECK(run.first.commit == run.tip.commit);  // checkpoints alone see no change

  auto paths = run_paths(r, run);
  REQUIRE(paths.ok());
  CHECK(*paths == std::vector<std::string>{"a.txt", "c.txt"});

  SECTION("files as the run left them are restored") {
    auto now = checkpoint(r, "refs/diffsmith/undo-killed", "now");
    REQUIRE(now.ok());
    auto plan = plan_undo(r, run, *now);
    REQUIRE(plan.ok());
    CHECK(plan->restore == std::vector<std::string>{"a.txt", "c.txt"});
    CHECK(plan->changed_since.empty());
    REQUIRE(restore_paths(r, *now, run.first.commit, &plan->restore).ok());
    CHECK(repo.read("a.txt") == "a\nuser's uncommitted line\n");
    CHECK_FALSE(repo.exists("c.txt"));
    CHECK(repo.read("b.txt") == "b\n");
  }
  SECTION("a file changed by the user after the run is reported, not silently restored") {
    repo.write("c.txt", "new\nthe user's own addition\n");
    auto now = checkpoint(r, "refs/diffsmith/undo-killed", "now");
    REQUIRE(now.ok());
    auto plan = plan_undo(r, run, *now);
    REQUIRE(plan.ok());
    CHECK(plan->changed_since == std::vector<std::string>{"c.txt"});
  }
  SECTION("a file the run journaled but never got to write needs no restore") {
    REQUIRE(
        apply_changes(r, {{"a.txt", "A\nuser's uncommitted line\n", "a\nuser's uncommitted line\n"}}).ok());
    auto now = checkpoint(r, "refs/diffsmith/undo-killed", "now");
    REQUIRE(now.ok());
    auto plan = plan_undo(r, run, *now);
    REQUIRE(plan.ok());
    CHECK(plan->restore == std::vector<std::string>{"c.txt"});
  }
}

TEST_CASE("a torn last journal line (killed mid-append) is skipped") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit_all();
  auto r = open_repo(repo);
  REQUIRE(checkpoint(r, "refs/diffsmith/t", "start").ok());
  REQUIRE(apply_changes(r, {{"a.txt", "a\n", "b\n"}}).ok());
  std::string path = repo.path(".git/diffsmith/journal/refs%2Fdiffsmith%2Ft");
  std::string text = ds::git::testing::read_file(path);
  ds::git::testing::write_file(path, text + "0123456789abcdef half a li");
  auto journal = read_journal(r, "refs/diffsmith/t");
  REQUIRE(journal.ok());
  CHECK(journal->size() == 1);
}
