// WorkdirSource: what the planner may read from a work tree, and what it is
// refused (absolute, '..', .git/, symbolic links out of the tree, binary
// files, folders).
#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/git_repo.hpp"
#include "worktree/workdir_source.hpp"

using namespace ds::git;
using namespace ds::worktree;
using ds::git::testing::TempRepo;

namespace {

std::string refusal(WorkdirSource& src, const std::string& path) {
  auto r = src.read(path);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::PathRefused);
  return r.error().message;
}

}  // namespace

TEST_CASE("WorkdirSource reads files, untracked ones too, and reports missing ones") {
  TempRepo repo;
  repo.write("src/a.py", "print(1)\r\n");
  repo.commit_all();
  repo.write("notes/new.md", "untracked\n");
  auto r = Repository::open(repo.root);
  REQUIRE(r.ok());
  WorkdirSource src(*r);
  auto a = src.read("src/a.py");
  REQUIRE(a.ok());
  CHECK(a->value() == "print(1)\r\n");
  auto dotted = src.read("./src//a.py");
  REQUIRE(dotted.ok());
  CHECK(dotted->value() == "print(1)\r\n");
  auto untracked = src.read("notes/new.md");
  REQUIRE(untracked.ok());
  CHECK(untracked->value() == "untracked\n");
  auto missing = src.read("src/missing.py");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
  auto missing_dir = src.read("nodir/x.py");
  REQUIRE(missing_dir.ok());
  CHECK_FALSE(missing_dir->has_value());
}

TEST_CASE("WorkdirSource refuses paths outside the tree, .git, links, binaries, folders") {
  TempRepo repo;
  TempRepo outside(/*init=*/false);
  outside.write("secret.txt", "secret\n");
  repo.write("src/a.py", "a\n");
  repo.write("img.png", std::string("\x89PNG\0\0\x01", 7));
  repo.commit_all();
  REQUIRE(::symlink(outside.root.c_str(), repo.path("escape").c_str()) == 0);
  REQUIRE(::symlink((outside.root + "/secret.txt").c_str(), repo.path("secret_link.txt").c_str()) == 0);
  REQUIRE(::symlink("../../etc", repo.path("src/up").c_str()) == 0);
  auto r = Repository::open(repo.root);
  REQUIRE(r.ok());
  WorkdirSource src(*r);

  CHECK(refusal(src, "/etc/passwd").find("absolute") != std::string::npos);
  CHECK(refusal(src, repo.path("src/a.py")).find("absolute") != std::string::npos);
  CHECK(refusal(src, "../x").find("'..'") != std::string::npos);
  CHECK(refusal(src, "src/../../x").find("'..'") != std::string::npos);
  CHECK(refusal(src, ".git/config").find(".git") != std::string::npos);
  CHECK(refusal(src, "src/.GIT/config").find(".git") != std::string::npos);
  CHECK(refusal(src, "escape/secret.txt").find("symbolic link") != std::string::npos);
  CHECK(refusal(src, "secret_link.txt").find("symbolic link") != std::string::npos);
  CHECK(refusal(src, "src/up/passwd").find("symbolic link") != std::string::npos);
  CHECK(refusal(src, "img.png").find("binary") != std::string::npos);
  CHECK(refusal(src, "src").find("folder") != std::string::npos);
  CHECK(refusal(src, "src/a.py/x").find("is a file") != std::string::npos);
}
