// worktree_changes: what a command changed in a real repository, as paths
// and an exact diff; ignored files do not count; the snapshot leaves no ref.
#include <catch2/catch.hpp>

#include "git/repository.hpp"
#include "git/worktree_changes.hpp"
#include "support/run_fixture.hpp"

using namespace ds::test::e2e;

namespace {

ds::git::Repository open_repo(const TempRepo& repo) {
  auto r = ds::git::Repository::open(repo.root());
  REQUIRE(r.ok());
  return std::move(*r);
}

}  // namespace

TEST_CASE("worktree_changes: nothing changed is empty") {
  TempRepo repo({{"a.txt", "one\n"}, {".gitignore", "__pycache__/\n"}});
  auto git = open_repo(repo);
  auto before = ds::git::snapshot_worktree(git);
  REQUIRE(before.ok());
  auto c = ds::git::worktree_changes(git, *before);
  REQUIRE(c.ok());
  CHECK(c->paths.empty());
  CHECK(c->diff.empty());
  CHECK_FALSE(c->after.empty());
  // The scratch refs are gone again; the user's refs are untouched.
  CHECK(repo.git({"for-each-ref"}).find("diffsmith-scratch") == std::string::npos);
}

TEST_CASE(
    "worktree_changes: modified, new and deleted files, with an exact diff - ignored files do not count") {
  TempRepo repo({{"a.txt", "one\nbroken\n"}, {"b.txt", "bye\n"}, {".gitignore", "__pycache__/\n*.log\n"}});
  auto git = open_repo(repo);
  auto before = ds::git::snapshot_worktree(git);
  REQUIRE(before.ok());

  repo.write("a.txt", "one\nfixed\n");
  repo.write("gen/new.py", "X = 1\n");
  fs::remove(repo.path("b.txt"));
  repo.write("__pycache__/a.cpython-311.pyc", "bytecode");
  repo.write("build.log", "noise\n");

  auto c = ds::git::worktree_changes(git, *before);
  REQUIRE(c.ok());
  CHECK(c->paths == std::vector<std::string>{"a.txt", "b.txt", "gen/new.py"});
  CHECK(contains(c->diff, "diff --git a/a.txt b/a.txt"));
  CHECK(contains(c->diff, "-broken\n+fixed\n"));
  CHECK(contains(c->diff, "deleted file mode"));
  CHECK(contains(c->diff, "new file mode"));
  CHECK_FALSE(contains(c->diff, "pycache"));
  CHECK_FALSE(contains(c->diff, "build.log"));

  // The diff is exact: git applies it in reverse on the work tree.
  TempDir scratch;
  write_file(scratch.path + "/c.patch", c->diff);
  int code = -1;
  std::string why = repo.git({"apply", "-R", scratch.path + "/c.patch"}, true, &code);
  INFO(why);
  CHECK(code == 0);
  CHECK(repo.read("a.txt") == "one\nbroken\n");
  CHECK(repo.read("b.txt") == "bye\n");
}

TEST_CASE("worktree_changes: only what changed since the snapshot, not earlier changes") {
  TempRepo repo({{"a.txt", "one\n"}, {"b.txt", "two\n"}});
  auto git = open_repo(repo);
  repo.write("test-output.txt", "left by a test run\n");  // before the command
  repo.write("a.txt", "one (edited earlier)\n");
  auto before = ds::git::snapshot_worktree(git);
  REQUIRE(before.ok());
  repo.write("b.txt", "two (by the command)\n");
  auto c = ds::git::worktree_changes(git, *before);
  REQUIRE(c.ok());
  CHECK(c->paths == std::vector<std::string>{"b.txt"});
  CHECK_FALSE(contains(c->diff, "a.txt"));
  CHECK_FALSE(contains(c->diff, "test-output"));
}

TEST_CASE("worktree_changes: a bad commit id is an error") {
  TempRepo repo({{"a.txt", "one\n"}});
  auto git = open_repo(repo);
  CHECK_FALSE(ds::git::worktree_changes(git, "not-a-commit").ok());
  CHECK_FALSE(ds::git::worktree_changes(git, std::string(40, '0')).ok());
}
