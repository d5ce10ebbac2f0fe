// git::export_tree (the scratch copy of the base a reproduction runs on): a
// faithful copy of the commit's tree, written by several threads when the
// tree is large: every file byte for byte, the executable bit, links as
// links, empty-looking folders of submodules; compared with what git itself
// checks out (`git archive | tar -x`).
#include <catch2/catch.hpp>
#include <string>

#include "git/export_tree.hpp"
#include "git/repository.hpp"
#include "support/git_repo.hpp"
#include "support/temp_dir.hpp"

using namespace ds;
using ds::test::TempDir;
using git::testing::shell;
using git::testing::TempRepo;

TEST_CASE("export_tree: a large tree written in parallel matches git archive, modes and links included") {
  TempRepo src;
  for (int i = 0; i < 1500; ++i)
    src.write("pkg/d" + std::to_string(i % 37) + "/f" + std::to_string(i) + ".txt",
              "file " + std::to_string(i) + "\n" + std::string(static_cast<size_t>(i % 300), 'x') + "\n");
  src.write("bin/run.sh", "#!/bin/sh\necho hi\n");
  src.write("empty.txt", "");
  src.sh("chmod +x bin/run.sh && ln -s pkg/d1/f1.txt link.txt && ln -s ../missing dangling");
  src.commit_all("big");
  std::string head = src.git("rev-parse HEAD");
  head = head.substr(0, head.find('\n'));
  // The work tree changes afterwards: the export is of the commit, not of the files.
  src.write("pkg/d0/f0.txt", "changed in the work tree\n");

  auto repo = git::Repository::open(src.root);
  REQUIRE(repo.ok());
  TempDir d;
  REQUIRE(git::export_tree(*repo, head, d.path + "/out").ok());
  shell(d.path, "mkdir ref && git -C '" + src.root + "' archive " + head + " | tar -x -C ref");
  CHECK(shell(d.path, "diff -r --no-dereference ref out && echo same") == "same\n");
  CHECK(shell(d.path, "test -x out/bin/run.sh && test ! -x out/empty.txt && readlink out/link.txt") ==
        "pkg/d1/f1.txt\n");
  CHECK(shell(d.path, "find out -type f | wc -l") == "1502\n");

  // Into a folder that already holds a file of the tree: the error names it.
  TempDir e;
  shell(e.path, "mkdir -p out && echo x > out/empty.txt");
  auto again = git::export_tree(*repo, head, e.path + "/out");
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().message.find("empty.txt") != std::string::npos);
}
