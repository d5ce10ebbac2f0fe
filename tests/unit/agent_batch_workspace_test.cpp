// Where batch tasks run: raw patches applied, listed, split and checked with
// libgit2 (src/git/patch_apply), private checkouts at a base commit
// (src/git/clone), and the clone cache for URLs, fetched again when a task
// needs a newer commit.
#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "agent/batch/workspace.hpp"
#include "git/clone.hpp"
#include "git/patch_apply.hpp"
#include "git/repository.hpp"
#include "support/git_repo.hpp"
#include "support/temp_dir.hpp"

using namespace ds;
using namespace ds::agent;
using ds::test::TempDir;
using git::testing::read_file;
using git::testing::TempRepo;

namespace {

std::string head_of(const TempRepo& r) {
  std::string h = r.git("rev-parse HEAD");
  return h.substr(0, h.find('\n'));
}

}  // namespace

TEST_CASE("batch workspace: a git diff patch is applied to work tree and index, listed, split and filtered") {
  TempRepo r;
  r.write("a.txt", "one\ntwo\nthree\n");
  r.write("b.txt", "bee\n");
  r.write("dir/c.txt", "sea\n");
  r.commit_all("base");
  std::string base = head_of(r);
  r.write("a.txt", "one\nTWO\nthree\n");
  r.sh("rm b.txt");
  r.write("new file.txt", "fresh\n");
  r.git("add -A");
  std::string patch = r.git("diff --cached");
  r.git("reset -q --hard");
  REQUIRE_FALSE(r.exists("new file.txt"));

  auto paths = git::patch_paths(patch);
  REQUIRE(paths.ok());
  CHECK(*paths == std::vector<std::string>{"a.txt", "b.txt", "new file.txt"});
  auto files = git::split_patch("commit message text\n" + patch);
  REQUIRE(files.ok());
  REQUIRE(files->size() == 3);
  CHECK((*files)[2].new_path == "new file.txt");
  CHECK((*files)[0].text.rfind("diff --git a/a.txt b/a.txt\n", 0) == 0);
  auto without = git::patch_without(patch, {"b.txt"});
  REQUIRE(without.ok());
  CHECK(*without == (*files)[0].text + (*files)[2].text);

  auto repo = git::Repository::open(r.root);
  REQUIRE(repo.ok());
  CHECK(git::check_patch_applies(*repo, base, patch).ok());
  REQUIRE(git::apply_patch_text(*repo, patch, true).ok());
  CHECK(r.read("a.txt") == "one\nTWO\nthree\n");
  CHECK_FALSE(r.exists("b.txt"));
  CHECK(r.read("new file.txt") == "fresh\n");
  CHECK(r.git("ls-files") == "a.txt\ndir/c.txt\nnew file.txt\n");  // the index has the new file too

  // Applied once, it no longer applies: nothing changes on a second try.
  auto again = git::apply_patch_text(*repo, patch, true);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().is(git::ErrorKind::ApplyFailed));
  CHECK(r.read("a.txt") == "one\nTWO\nthree\n");
  r.commit_all("applied");
  CHECK_FALSE(git::check_patch_applies(*repo, "HEAD", patch).ok());
  CHECK(git::check_patch_applies(*repo, base, patch).ok());
  CHECK(git::check_patch_applies(*repo, "HEAD", "").ok());
}

TEST_CASE("batch workspace: clone_checkout detaches at the base commit, even one only a tag reaches") {
  TempRepo src;
  src.write("f.txt", "v1\n");
  src.commit_all("c1");
  std::string c1 = head_of(src);
  src.write("f.txt", "v2\n");
  src.commit_all("c2");
  src.git("checkout -q --detach");
  src.write("f.txt", "v3 (tag only)\n");
  src.commit_all("c3");
  std::string c3 = head_of(src);
  src.git("tag only-here");
  src.git("checkout -q main");
  TempDir d;

  auto at_c1 = git::clone_checkout(src.root, d.path + "/one", c1, nullptr);
  REQUIRE(at_c1.ok());
  CHECK(read_file(d.path + "/one/f.txt") == "v1\n");
  CHECK(git::testing::shell(d.path + "/one", "git rev-parse HEAD") == c1 + "\n");
  CHECK(git::testing::shell(d.path + "/one", "git status --porcelain").empty());

  auto at_c3 = git::clone_checkout(src.root, d.path + "/three", c3, nullptr);
  REQUIRE(at_c3.ok());
  CHECK(read_file(d.path + "/three/f.txt") == "v3 (tag only)\n");

  auto head = git::clone_checkout("file://" + src.root, d.path + "/head", "", nullptr);
  REQUIRE(head.ok());
  CHECK(read_file(d.path + "/head/f.txt") == "v2\n");

  auto missing = git::clone_checkout(src.root, d.path + "/missing", std::string(40, 'e'), nullptr);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().is(git::ErrorKind::NotFound));
  CHECK(missing.error().message.find("base_commit") != std::string::npos);
}

TEST_CASE("batch workspace: a URL is cloned once into the cache, and fetched again for a newer commit") {
  TempRepo src;
  src.write("f.txt", "v1\n");
  src.commit_all("c1");
  std::string c1 = head_of(src);
  TempDir d;
  WorkspaceOptions o;
  o.work_dir = d.path + "/work";
  Workspace ws(o);
  BatchTask t;
  t.id = "t1";
  t.repo = "file://" + src.root;
  t.base_commit = c1;

  // Two workers asking at once get the same, complete cache.
  Result<std::string> s1 = make_error("unset"), s2 = make_error("unset");
  std::thread a([&] { s1 = ws.source_for(t); });
  std::thread b([&] { s2 = ws.source_for(t); });
  a.join();
  b.join();
  REQUIRE(s1.ok());
  REQUIRE(s2.ok());
  CHECK(*s1 == *s2);
  CHECK(s1->rfind(std::filesystem::absolute(o.work_dir).string() + "/repos/", 0) == 0);
  CHECK(git::testing::shell(*s1, "git rev-parse --is-bare-repository") == "true\n");
  auto repo1 = ws.checkout(t, d.path + "/wt1");
  REQUIRE(repo1.ok());
  CHECK(read_file(d.path + "/wt1/f.txt") == "v1\n");

  src.write("f.txt", "v2\n");
  src.commit_all("c2");
  t.base_commit = head_of(src);
  auto repo2 = ws.checkout(t, d.path + "/wt2");
  REQUIRE(repo2.ok());
  CHECK(read_file(d.path + "/wt2/f.txt") == "v2\n");

  BatchTask local = t;
  local.repo = src.root;  // a local path is used as it is, not cached
  auto s3 = ws.source_for(local);
  REQUIRE(s3.ok());
  CHECK(*s3 == src.root);
  BatchTask nowhere = t;
  nowhere.repo = "not a repo at all";
  auto s4 = ws.source_for(nowhere);
  REQUIRE_FALSE(s4.ok());
  CHECK(s4.error().message.find("not a local folder, an owner/name or a git URL") != std::string::npos);
}
