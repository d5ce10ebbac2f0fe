// Lines added and removed per file of a patch (the run summary's
// `calc.py (+1 -1)`), read by libgit2 from patches our own diff writer makes.
#include <catch2/catch.hpp>

#include "diff/unified_diff.hpp"
#include "git/patch_stats.hpp"

using namespace ds;

TEST_CASE("patch stats: modified, created and deleted files, in patch order") {
  std::string patch = diff::unified_diff({
      {"src/a.py", std::string("one\ntwo\nthree\n"), std::string("one\nTWO\nthree\nfour\n")},
      {"new file.txt", std::nullopt, std::string("x\ny\n")},
      {"old.txt", std::string("gone\n"), std::nullopt},
  });
  auto stats = git::patch_stats(patch);
  REQUIRE(stats.ok());
  REQUIRE(stats->size() == 3);
  CHECK((*stats)[0].path == "src/a.py");
  CHECK((*stats)[0].added == 2);
  CHECK((*stats)[0].removed == 1);
  CHECK((*stats)[1].path == "new file.txt");
  CHECK((*stats)[1].added == 2);
  CHECK((*stats)[1].removed == 0);
  CHECK((*stats)[2].path == "old.txt");
  CHECK((*stats)[2].added == 0);
  CHECK((*stats)[2].removed == 1);
}

TEST_CASE("patch stats: an empty patch has no files, text that is no patch is an error") {
  auto empty = git::patch_stats("");
  REQUIRE(empty.ok());
  CHECK(empty->empty());
  auto bad = git::patch_stats("diff --git a/x\n@@ nonsense\n");
  CHECK_FALSE(bad.ok());
}
