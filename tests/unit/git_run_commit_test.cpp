// run_commit: the record of a run's commit and taking the commit back
// (issue 11, "undo that undoes"), on real repositories: a kill between the
// record and the ref move, an unborn branch, a detached HEAD, staged work
// that is kept, and the states undo must refuse.
#include <catch2/catch.hpp>

#include "git/commit.hpp"
#include "git/repository.hpp"
#include "git/run_commit.hpp"
#include "support/git_repo.hpp"

using namespace ds::git;
using ds::git::testing::open_repo;
using ds::git::testing::TempRepo;

namespace {

std::string rev(const TempRepo& repo, const std::string& what) {
  int code = 0;
  std::string out = ds::git::testing::shell(repo.root, "git rev-parse -q --verify " + what, true, &code);
  return code == 0 ? out.substr(0, 40) : "";
}

RunCommit record_of(Repository& r, const std::string& run) {
  auto c = read_run_commit(r, run);
  REQUIRE(c.ok());
  REQUIRE(c->has_value());
  return **c;
}

}  // namespace

TEST_CASE("run commit: killed after the record and before the ref moved, there is nothing to take back") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit_all("base");
  std::string base = rev(repo, "HEAD");
  repo.write("a.txt", "a changed\n");
  auto r = open_repo(repo);
  auto prepared = prepare_commit(r, {"a.txt"}, "the run's change", "");
  REQUIRE(prepared.ok());
  RunCommit c{prepared->commit, prepared->branch_ref, false, prepared->parent, prepared->head_before, false};
  REQUIRE(write_run_commit(r, "run-1", c).ok());
  // (killed here: publish_commit never ran)
  CHECK(rev(repo, "HEAD") == base);
  CommitCheck check = check_run_commit(r, record_of(r, "run-1"));
  CHECK(check.state == CommitState::Undone);

  // The same with --branch: the branch was never created.
  auto on_branch = prepare_commit(r, {"a.txt"}, "the run's change", "fix");
  REQUIRE(on_branch.ok());
  RunCommit b{on_branch->commit, on_branch->branch_ref,  true,
              on_branch->parent, on_branch->head_before, false};
  REQUIRE(write_run_commit(r, "run-2", b).ok());
  CHECK(check_run_commit(r, record_of(r, "run-2")).state == CommitState::Undone);
}

TEST_CASE("run commit: --commit on an unborn branch is taken back by removing the branch again") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  auto r = open_repo(repo);
  auto id = commit_run_changes(r, "run-1", {"a.txt"}, "first", "");
  REQUIRE(id.ok());
  CHECK(rev(repo, "refs/heads/main") == *id);
  RunCommit c = record_of(r, "run-1");
  CHECK(c.previous_tip.empty());
  REQUIRE(check_run_commit(r, c).state == CommitState::OnBranch);
  auto said = undo_run_commit(r, "run-1", c);
  REQUIRE(said.ok());
  CHECK(rev(repo, "refs/heads/main").empty());
  CHECK(repo.git("symbolic-ref HEAD") == "refs/heads/main\n");
  CHECK(repo.git("ls-files --stage").empty());  // a.txt is untracked again
  CHECK(repo.read("a.txt") == "a\n");           // the work tree is not undo_run_commit's
  CHECK(record_of(r, "run-1").undone);
  CHECK(check_run_commit(r, record_of(r, "run-1")).state == CommitState::Undone);
}

TEST_CASE("run commit: --branch from a detached HEAD goes back to that detached HEAD") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit_all("base");
  std::string base = rev(repo, "HEAD");
  repo.git("checkout -q --detach");
  repo.write("a.txt", "a changed\n");
  auto r = open_repo(repo);
  REQUIRE(commit_run_changes(r, "run-1", {"a.txt"}, "fix", "fix").ok());
  CHECK(repo.git("symbolic-ref HEAD") == "refs/heads/fix\n");
  RunCommit c = record_of(r, "run-1");
  CHECK(c.previous_head == base);
  REQUIRE(check_run_commit(r, c).state == CommitState::OnBranch);
  auto said = undo_run_commit(r, "run-1", c);
  REQUIRE(said.ok());
  CHECK(said->find("deleted branch fix") != std::string::npos);
  int code = 0;
  ds::git::testing::shell(repo.root, "git symbolic-ref -q HEAD", true, &code);
  CHECK(code != 0);  // detached
  CHECK(rev(repo, "HEAD") == base);
  CHECK(rev(repo, "refs/heads/fix").empty());
  CHECK(repo.git("diff --cached --name-only").empty());
}

TEST_CASE("run commit: staged work the user added after the commit stays staged") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.write("b.txt", "b\n");
  repo.commit_all("base");
  repo.write("a.txt", "a by the run\n");
  repo.write("b.txt", "b by the run\n");
  auto r = open_repo(repo);
  REQUIRE(commit_run_changes(r, "run-1", {"a.txt", "b.txt"}, "fix", "").ok());
  repo.write("b.txt", "b staged by the user\n");
  repo.git("add b.txt");
  RunCommit c = record_of(r, "run-1");
  REQUIRE(undo_run_commit(r, "run-1", c).ok());
  CHECK(repo.git("show :a.txt") == "a\n");                     // back to the base
  CHECK(repo.git("show :b.txt") == "b staged by the user\n");  // kept
  CHECK(repo.git("log --format=%s") == "base\n");
}

TEST_CASE("run commit: undo refuses when HEAD left the branch, the branch moved, or the start branch moved") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit_all("base");
  repo.write("a.txt", "a by the run\n");
  auto r = open_repo(repo);

  SECTION("HEAD switched to another branch") {
    REQUIRE(commit_run_changes(r, "run-1", {"a.txt"}, "fix", "").ok());
    repo.git("switch -q -c other");
    CommitCheck check = check_run_commit(r, record_of(r, "run-1"));
    CHECK(check.state == CommitState::Moved);
    CHECK(check.why.find("HEAD is no longer on branch main") != std::string::npos);
    CHECK(check.why.find("git switch main") != std::string::npos);
  }
  SECTION("the branch was reset elsewhere") {
    REQUIRE(commit_run_changes(r, "run-1", {"a.txt"}, "fix", "").ok());
    repo.write("c.txt", "c\n");
    repo.git("add c.txt");
    repo.git("commit -q --amend -m amended");
    CommitCheck check = check_run_commit(r, record_of(r, "run-1"));
    CHECK(check.state == CommitState::Moved);
    CHECK(check.why.find("reset or rewritten") != std::string::npos);
  }
  SECTION("--branch, and main moved since") {
    REQUIRE(commit_run_changes(r, "run-1", {"a.txt"}, "fix", "fix").ok());
    repo.git("update-ref refs/heads/main refs/heads/fix");
    CommitCheck check = check_run_commit(r, record_of(r, "run-1"));
    CHECK(check.state == CommitState::Moved);
    CHECK(check.why.find("git branch -D fix") != std::string::npos);
  }
  SECTION("a damaged record is an error, not a guess") {
    REQUIRE(commit_run_changes(r, "run-1", {"a.txt"}, "fix", "").ok());
    ds::git::testing::write_file(repo.path(".git/diffsmith/commits/run-1"), "commit nonsense\n");
    auto c = read_run_commit(r, "run-1");
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message.find("damaged") != std::string::npos);
  }
}
