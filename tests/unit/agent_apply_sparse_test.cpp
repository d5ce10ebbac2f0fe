// `diffsmith apply` on a real sparse checkout (issue 21, item 11): a create
// over a tracked file outside the sparse set is refused with a message that
// names the file, and the repository is left as it was.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;

TEST_CASE("sparse e2e: diffsmith apply refuses a create outside the sparse set and changes nothing") {
  TempRepo repo({{"in/kept.txt", "kept\n"}, {"out/skipped.txt", "skipped\n"}});
  repo.git({"sparse-checkout", "set", "in"});
  REQUIRE_FALSE(repo.exists("out/skipped.txt"));
  std::string before = repo.snapshot();
  TempDir scratch;
  std::string edits = scratch.path + "/edits.txt";
  write_file(edits, "out/skipped.txt\n```\n<<<<<<< SEARCH\n=======\nreplaced\n>>>>>>> REPLACE\n```\n");
  ProcOptions opts;
  opts.cwd = repo.root();
  ProcResult res = run_diffsmith({"apply", edits}, opts);
  INFO(res.err);
  CHECK(res.exit_code == 1);
  CHECK(contains(res.err, "'out/skipped.txt'"));
  CHECK(contains(res.err, "outside this sparse checkout"));
  CHECK_FALSE(repo.exists("out/skipped.txt"));
  CHECK(repo.snapshot() == before);
  CHECK(repo.git({"ls-files", "-v", "out/skipped.txt"}) == "S out/skipped.txt\n");
}
