// Sparse checkouts (issue 15, item 7): libgit2 knows no sparse checkout and
// sees the files outside the cone (skip-worktree, absent on disk) as
// deleted. A clean sparse tree must be clean, its checkpoints must equal
// HEAD, and restoring must not bring those files onto the disk.
#include <catch2/catch.hpp>

#include "git/apply.hpp"
#include "git/checkpoint.hpp"
#include "git/diff.hpp"
#include "git/status.hpp"
#include "support/git_repo.hpp"

using namespace ds::git;
using ds::git::testing::open_repo;
using ds::git::testing::TempRepo;

TEST_CASE("a clean sparse checkout is clean, checkpoints and restores leave the cone alone") {
  TempRepo repo;
  repo.write("top.txt", "top\n");
  repo.write("in/kept.txt", "kept\n");
  repo.write("out/skipped.txt", "skipped\n");
  repo.write("out/deeper/also.txt", "also\n");
  repo.commit_all();
  repo.git("sparse-checkout set in");
  REQUIRE_FALSE(repo.exists("out/skipped.txt"));
  REQUIRE(repo.git("status --porcelain").empty());  // git: clean
  auto r = open_repo(repo);

  auto dirty = dirty_paths(r);
  REQUIRE(dirty.ok());
  CHECK(dirty->empty());

  auto start = checkpoint(r, "refs/diffsmith/sparse", "start");
  REQUIRE(start.ok());
  auto head = head_commit(r);
  REQUIRE(head.ok());
  auto none = diff_commits(r, *head, *start);
  REQUIRE(none.ok());
  CHECK(*none == "");  // the snapshot is HEAD, not HEAD minus the skipped files

  REQUIRE(apply_changes(r, {{"in/kept.txt", "kept\n", "edited\n"}}).ok());
  auto end = checkpoint(r, "refs/diffsmith/sparse", "end");
  REQUIRE(end.ok());
  auto patch = diff_commits(r, *start, *end);
  REQUIRE(patch.ok());
  CHECK(patch->find("in/kept.txt") != std::string::npos);
  CHECK(patch->find("out/") == std::string::npos);  // agrees with the disk

  // A real deletion inside the cone still counts.
  repo.sh("rm top.txt");
  dirty = dirty_paths(r);
  REQUIRE(dirty.ok());
  CHECK(*dirty == std::vector<std::string>{"in/kept.txt", "top.txt"});

  REQUIRE(restore_worktree(r, *end, *start).ok());
  CHECK(repo.read("in/kept.txt") == "kept\n");
  CHECK(repo.read("top.txt") == "top\n");
  CHECK_FALSE(repo.exists("out"));
  CHECK(repo.git("status --porcelain").empty());
}
