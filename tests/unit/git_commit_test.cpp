// commit_changes: exactly the changed paths are committed, on the current
// branch or on a new one, without sweeping in other staged work.
#include <catch2/catch.hpp>

#include "git/commit.hpp"
#include "git/repository.hpp"
#include "support/git_repo.hpp"

using namespace ds::git;
using ds::git::testing::open_repo;
using ds::git::testing::TempRepo;

namespace {

void make_base(const TempRepo& repo) {
  repo.write("a.txt", "a\n");
  repo.write("b.txt", "b\n");
  repo.write("old.txt", "old\n");
  repo.commit_all("base");
}

}  // namespace

TEST_CASE("commit_changes commits exactly the given paths on the current branch") {
  TempRepo repo;
  make_base(repo);
  std::string base = repo.git("rev-parse HEAD").substr(0, 40);
  repo.write("a.txt", "a changed\n");
  repo.write("new/c.txt", "c\n");
  repo.sh("rm old.txt");
  repo.write("b.txt", "user's staged work\n");
  repo.git("add b.txt");
  repo.write("stray.txt", "not part of the run\n");
  auto r = open_repo(repo);

  auto id = commit_changes(r, {"a.txt", "new/c.txt", "old.txt"}, "Fix the thing\n\nBody.\n", "");
  INFO((id.ok() ? "" : id.error().message));
  REQUIRE(id.ok());
  CHECK(repo.git("rev-parse HEAD").substr(0, 40) == *id);
  CHECK(repo.git("rev-parse main").substr(0, 40) == *id);
  CHECK(repo.git("rev-parse HEAD^").substr(0, 40) == base);
  CHECK(repo.git("log -1 --format=%an%n%ae%n%B") ==
        "Test User\ntest@example.com\nFix the thing\n\nBody.\n\n");
  CHECK(repo.git("diff-tree --no-commit-id --name-status -r HEAD") == "M\ta.txt\nA\tnew/c.txt\nD\told.txt\n");
  CHECK(repo.git("show HEAD:a.txt") == "a changed\n");
  // The user's own staged change stays staged and uncommitted; stray stays untracked.
  CHECK(repo.git("status --porcelain") == "M  b.txt\n?? stray.txt\n");
}

TEST_CASE("commit_changes on a new branch switches HEAD to it and leaves other files alone") {
  TempRepo repo;
  make_base(repo);
  std::string base = repo.git("rev-parse HEAD").substr(0, 40);
  repo.write("a.txt", "a on branch\n");
  repo.write("b.txt", "b edited by the user, not committed\n");
  auto r = open_repo(repo);

  auto id = commit_changes(r, {"a.txt"}, "On a branch", "diffsmith/fix-1");
  INFO((id.ok() ? "" : id.error().message));
  REQUIRE(id.ok());
  CHECK(repo.git("symbolic-ref HEAD") == "refs/heads/diffsmith/fix-1\n");
  CHECK(repo.git("rev-parse diffsmith/fix-1").substr(0, 40) == *id);
  CHECK(repo.git("rev-parse main").substr(0, 40) == base);  // the old branch did not move
  CHECK(repo.git("rev-parse HEAD^").substr(0, 40) == base);
  CHECK(repo.read("b.txt") == "b edited by the user, not committed\n");
  CHECK(repo.git("status --porcelain") == " M b.txt\n");

  auto again = commit_changes(r, {"a.txt"}, "x", "diffsmith/fix-1");
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().kind == ErrorKind::Exists);
  auto bad = commit_changes(r, {"a.txt"}, "x", "bad..name");
  REQUIRE_FALSE(bad.ok());
}

TEST_CASE("commit_changes makes the first commit of an empty repository") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.write("other.txt", "o\n");
  auto r = open_repo(repo);
  auto id = commit_changes(r, {"a.txt"}, "first", "");
  INFO((id.ok() ? "" : id.error().message));
  REQUIRE(id.ok());
  CHECK(repo.git("rev-list --count HEAD") == "1\n");
  CHECK(repo.git("ls-tree -r --name-only HEAD") == "a.txt\n");
  auto head = head_commit(r);
  REQUIRE(head.ok());
  CHECK(*head == *id);
}

TEST_CASE("a stale index.lock is reported with the exact command that removes it") {
  TempRepo repo;
  make_base(repo);
  repo.write("a.txt", "a changed\n");
  auto r = open_repo(repo);
  CHECK(index_lock_problem(r).empty());
  repo.write(".git/index.lock", "");  // left by a git that was killed
  const std::string rm = "rm -f '" + repo.root + "/.git/index.lock'";
  CHECK(index_lock_problem(r).find(rm) != std::string::npos);

  auto id = commit_changes(r, {"a.txt"}, "Fix", "");
  REQUIRE_FALSE(id.ok());
  INFO(id.error().message);
  CHECK(id.error().kind == ErrorKind::Locked);
  CHECK(id.error().message.find(rm) != std::string::npos);
  CHECK(repo.exists(".git/index.lock"));  // reported, never removed behind the user's back
}
