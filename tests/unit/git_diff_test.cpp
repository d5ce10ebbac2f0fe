// diff_commits: the patch between two checkpoints applies with `git apply`
// at the first one, including new, deleted, renamed-by-hand, mode-changed,
// binary, CRLF and space-named files.
#include <catch2/catch.hpp>

#include "git/checkpoint.hpp"
#include "git/diff.hpp"
#include "support/git_repo.hpp"

using namespace ds::git;
using ds::git::testing::TempRepo;

TEST_CASE("diff_commits output applies with git apply at the start commit") {
  TempRepo repo;
  repo.write("src/a.py", "def a():\n    return 1\n");
  repo.write("gone.txt", "bye\n");
  repo.write("run.sh", "echo 1\n");
  repo.write("img.bin", std::string("\x00\x01\x02\x03", 4));
  repo.write("win.txt", "a\r\nb\r\n");
  repo.write("my file.txt", "space\n");
  repo.write("nofinal.txt", "x");
  repo.commit_all("base");
  std::string base = repo.git("rev-parse HEAD").substr(0, 40);
  auto r = Repository::open(repo.root);
  REQUIRE(r.ok());
  auto start = checkpoint(*r, "refs/diffsmith/d", "start");
  REQUIRE(start.ok());

  repo.write("src/a.py", "def a():\n    return 2\n");
  repo.write("src/new/b.py", "b = 1\n");
  repo.sh("rm gone.txt && chmod +x run.sh");
  repo.write("img.bin", std::string("\x00\x01\x02\x04\x05", 5));
  repo.write("win.txt", "a\r\nB\r\n");
  repo.write("my file.txt", "space 2\n");
  repo.write("nofinal.txt", "y");
  auto end = checkpoint(*r, "refs/diffsmith/d", "end");
  REQUIRE(end.ok());

  auto patch = diff_commits(*r, *start, *end);
  REQUIRE(patch.ok());
  CHECK(patch->find("diff --git a/src/new/b.py b/src/new/b.py\nnew file mode 100644\n") != std::string::npos);
  CHECK(patch->find("deleted file mode 100644") != std::string::npos);
  CHECK(patch->find("old mode 100644\nnew mode 100755") != std::string::npos);
  CHECK(patch->find("GIT binary patch") != std::string::npos);
  CHECK(patch->find("\\ No newline at end of file") != std::string::npos);

  // A clean clone of the base commit accepts the patch and ends identical.
  TempRepo clone(/*init=*/false);
  clone.sh("git clone -q '" + repo.root + "' . && git checkout -q " + base);
  clone.write("../model.patch", *patch);
  clone.sh("git apply --check ../model.patch && git apply ../model.patch");
  clone.sh("rm ../model.patch");
  clone.git("add -A");
  std::string tree = clone.git("write-tree");
  CHECK(tree == repo.git("rev-parse " + *end + "^{tree}"));
}

TEST_CASE("diff_commits of equal trees is empty, unknown commits are errors") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit_all();
  auto r = Repository::open(repo.root);
  REQUIRE(r.ok());
  auto same = diff_commits(*r, "HEAD", "HEAD");
  REQUIRE(same.ok());
  CHECK(same->empty());
  auto from_empty = diff_commits(*r, "", "HEAD");
  REQUIRE(from_empty.ok());
  CHECK(from_empty->find("new file mode 100644") != std::string::npos);
  auto bad = diff_commits(*r, "0123456789012345678901234567890123456789", "HEAD");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == ErrorKind::NotFound);
}
