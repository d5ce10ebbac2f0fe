// Repository::open, head_commit, tracked_files and dirty_paths on real
// temporary repositories.
#include <catch2/catch.hpp>

#include "git/init.hpp"
#include "git/repository.hpp"
#include "git/status.hpp"
#include "support/git_repo.hpp"

using namespace ds::git;
using ds::git::testing::TempRepo;

TEST_CASE("open finds the repository from a subfolder, root has no trailing slash") {
  TempRepo repo;
  repo.write("src/deep/a.txt", "a\n");
  auto r = Repository::open(repo.path("src/deep"));
  REQUIRE(r.ok());
  CHECK(r->root() == repo.root);
  CHECK(r->git_dir() == repo.root + "/.git");
  CHECK(r->common_dir() == repo.root + "/.git");
  CHECK(r->raw() != nullptr);
  Repository moved = std::move(r).value();
  CHECK(moved.root() == repo.root);
}

TEST_CASE("open outside any repository says so") {
  TempRepo dir(/*init=*/false);
  auto r = Repository::open(dir.root);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::NotARepo);
  CHECK(r.error().message.find("not a git repository: " + dir.root + " (or any parent)") !=
        std::string::npos);
  auto missing = Repository::open(dir.root + "/nope");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::NotARepo);
}

TEST_CASE("open refuses a bare repository") {
  TempRepo dir(/*init=*/false);
  dir.sh("git init -q --bare b.git");
  auto r = Repository::open(dir.path("b.git"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Bare);
  CHECK(r.error().message.find("bare repository has no work tree") != std::string::npos);
}

TEST_CASE("head_commit is empty before the first commit, then HEAD's id") {
  TempRepo repo;
  auto r = Repository::open(repo.root);
  REQUIRE(r.ok());
  auto empty = head_commit(*r);
  REQUIRE(empty.ok());
  CHECK(*empty == "");
  repo.write("a.txt", "a\n");
  repo.commit_all();
  auto head = head_commit(*r);
  REQUIRE(head.ok());
  CHECK(*head == ds::git::testing::shell(repo.root, "git rev-parse HEAD").substr(0, 40));
}

TEST_CASE("tracked_files lists the index sorted, dirty_paths ignores untracked files") {
  TempRepo repo;
  repo.write("b.txt", "b\n");
  repo.write("a/x.txt", "x\n");
  repo.write("keep.txt", "k\n");
  repo.write("gone.txt", "g\n");
  repo.write("unstage.txt", "u\n");
  repo.commit_all();
  auto r = Repository::open(repo.root);
  REQUIRE(r.ok());

  auto tracked = tracked_files(*r);
  REQUIRE(tracked.ok());
  CHECK(*tracked == std::vector<std::string>{"a/x.txt", "b.txt", "gone.txt", "keep.txt", "unstage.txt"});

  auto clean = dirty_paths(*r);
  REQUIRE(clean.ok());
  CHECK(clean->empty());

  repo.write("untracked.txt", "u\n");
  repo.write(".gitignore", "*.log\n");
  repo.write("ignored.log", "i\n");
  auto still_clean = dirty_paths(*r);
  REQUIRE(still_clean.ok());
  CHECK(*still_clean == std::vector<std::string>{});  // untracked .gitignore does not count either

  repo.write("b.txt", "changed\n");  // modified in the work tree
  repo.write("a/x.txt", "staged\n");
  repo.git("add a/x.txt");                 // staged
  repo.sh("rm gone.txt");                  // deleted
  repo.git("rm -q --cached unstage.txt");  // removed from the index, still on disk
  repo.write("new.txt", "n\n");
  repo.git("add new.txt");  // added
  auto dirty = dirty_paths(*r);
  REQUIRE(dirty.ok());
  CHECK(*dirty == std::vector<std::string>{"a/x.txt", "b.txt", "gone.txt", "new.txt", "unstage.txt"});

  auto tracked_now = tracked_files(*r);  // sees index changes made by the git CLI
  REQUIRE(tracked_now.ok());
  CHECK(*tracked_now == std::vector<std::string>{"a/x.txt", "b.txt", "gone.txt", "keep.txt", "new.txt"});
}

TEST_CASE("init_repository creates a work tree repository on branch main, or reopens one") {
  TempRepo parent(/*init=*/false);
  std::string dir = parent.path("new/project");
  auto r = init_repository(dir);
  REQUIRE(r.ok());
  CHECK(r->root() == dir);
  CHECK(ds::git::testing::shell(dir, "git symbolic-ref HEAD") == "refs/heads/main\n");
  auto head = head_commit(*r);
  REQUIRE(head.ok());
  CHECK(head->empty());
  ds::git::testing::shell(dir, "git -c user.name=a -c user.email=b commit -q --allow-empty -m one");
  auto again = init_repository(dir);
  REQUIRE(again.ok());
  auto kept = head_commit(*again);
  REQUIRE(kept.ok());
  CHECK(kept->size() == 40);  // the existing history is still there
}
