// Sparse checkouts (issue 15, item 7): libgit2 knows no sparse checkout and
// sees the files outside the cone (skip-worktree, absent on disk) as
// deleted. A clean sparse tree must be clean, its checkpoints must equal
// HEAD, and restoring must not bring those files onto the disk.
#include <catch2/catch.hpp>

#include "git/checkpoint.hpp"
#include "git/diff.hpp"
#include "git/status.hpp"
#include "support/git_repo.hpp"
#include "worktree/apply.hpp"
#include "worktree/apply_edits.hpp"

using namespace ds::git;
using namespace ds::worktree;
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

// Issue 21, item 11: outside the sparse set a tracked file is missing from
// the disk, so an empty SEARCH ("create") would write it over the tracked
// content. Every edit of such a file is refused, naming it and the way out.
TEST_CASE("sparse: a create over a tracked file outside the sparse set is refused and the file named") {
  TempRepo repo;
  repo.write("in/kept.txt", "kept\n");
  repo.write("out/skipped.txt", "skipped\n");
  repo.commit_all();
  repo.git("sparse-checkout set in");
  REQUIRE_FALSE(repo.exists("out/skipped.txt"));
  auto r = open_repo(repo);
  EditApplyOptions opts;
  opts.partial = true;

  auto refused = [&](const EditApplyResult& res) {
    REQUIRE(res.plan.results.size() == 2);
    CHECK(res.plan.results[1].applied);  // the file inside the sparse set is created
    CHECK_FALSE(res.plan.results[0].applied);
    const std::string& why = res.plan.results[0].error;
    INFO(why);
    CHECK(why.find("'out/skipped.txt'") != std::string::npos);
    CHECK(why.find("outside this sparse checkout") != std::string::npos);
    CHECK(why.find("git sparse-checkout add out") != std::string::npos);
    CHECK(feedback_for_model(res).find("outside this sparse checkout") != std::string::npos);
    CHECK_FALSE(repo.exists("out/skipped.txt"));
    CHECK(repo.read("in/new.txt") == "new\n");
    CHECK(repo.git("show HEAD:out/skipped.txt") == "skipped\n");
    CHECK(repo.git("ls-files -v out/skipped.txt") == "S out/skipped.txt\n");  // still skip-worktree
  };
  SECTION("SEARCH/REPLACE with an empty SEARCH") {
    refused(apply_edit_text(r,
                            "out/skipped.txt\n<<<<<<< SEARCH\n=======\nreplaced\n>>>>>>> REPLACE\n"
                            "in/new.txt\n<<<<<<< SEARCH\n=======\nnew\n>>>>>>> REPLACE\n",
                            opts));
  }
  SECTION("a V4A Add File") {
    refused(apply_edit_text(r,
                            "*** Begin Patch\n*** Add File: out/skipped.txt\n+replaced\n"
                            "*** Add File: in/new.txt\n+new\n*** End Patch\n",
                            opts));
  }
}
