// A batch task's checkout holds the base commit's history and nothing after
// it: a mirror of the repository (as --repos-dir gives) also holds the fix,
// on its branch, a tag, a pull ref and in loose objects; none of it may be
// reachable or even present in the checkout, whatever git command the model
// (or a test) runs there.
#include <catch2/catch.hpp>
#include <string>

#include "agent/batch/workspace.hpp"
#include "support/git_repo.hpp"
#include "support/temp_dir.hpp"

using namespace ds;
using namespace ds::agent;
using ds::test::TempDir;
using git::testing::read_file;
using git::testing::shell;
using git::testing::TempRepo;

namespace {

std::string head_of(const TempRepo& r) {
  std::string h = r.git("rev-parse HEAD");
  return h.substr(0, h.find('\n'));
}

}  // namespace

TEST_CASE("batch checkout: no commit, ref or object after the base is in the task's checkout") {
  TempRepo src;
  src.write("lib.txt", "value=1\n");
  src.commit_all("first");
  std::string first = head_of(src);
  src.write("lib.txt", "value=1\nmore=0\n");
  src.commit_all("the base");
  std::string base = head_of(src);
  // The future: the gold fix on main, a tag, a pull ref, and a loose object.
  src.write("lib.txt", "value=2 FUTURE-FIX-MARKER-5150\nmore=0\n");
  src.commit_all("fix: FUTURE-FIX-MARKER-5150");
  std::string fix = head_of(src);
  src.git("tag v-after-fix");
  src.git("update-ref refs/pull/7/head " + fix);
  src.write("loose.txt", "LOOSE-FUTURE-MARKER-6161\n");
  src.git("add loose.txt");  // a blob in the object store, in no commit
  TempDir d;
  std::string mirror = d.path + "/mirrors/acme__lib.git";
  shell(d.path, "mkdir -p mirrors && git clone -q --mirror '" + src.root + "' mirrors/acme__lib.git");
  // The marker's blob loose in the mirror too, as objects fetched but not yet packed are.
  shell(mirror, "echo 'LOOSE-FUTURE-MARKER-6161' | git hash-object -w --stdin >/dev/null");

  WorkspaceOptions o;
  o.repos_dir = d.path + "/mirrors";
  o.work_dir = d.path + "/work";
  Workspace ws(o);
  BatchTask t;
  t.id = "acme__lib-1";
  t.repo = "acme/lib";
  t.base_commit = base;
  std::string dir = d.path + "/work/worktrees/acme__lib-1";
  auto repo = ws.checkout(t, dir);
  REQUIRE(repo.ok());
  CHECK(read_file(dir + "/lib.txt") == "value=1\nmore=0\n");
  CHECK(shell(dir, "git rev-parse HEAD") == base + "\n");
  CHECK(shell(dir, "git status --porcelain").empty());

  // The history up to the base is all there.
  CHECK(shell(dir, "git log --format=%H HEAD") == base + "\n" + first + "\n");
  CHECK(shell(dir, "git show " + first + ":lib.txt") == "value=1\n");

  // Nothing after it, whichever way one asks.
  std::string log_all = shell(dir, "git log --all --format='%H %s'");
  CHECK(log_all == base + " the base\n" + first + " first\n");
  std::string rev_list = shell(dir, "git rev-list --all --objects --reflog");
  CHECK(rev_list.find(fix) == std::string::npos);
  std::string objects = shell(dir, "git cat-file --batch-all-objects --batch");
  CHECK(objects.find("FUTURE-FIX-MARKER-5150") == std::string::npos);
  CHECK(objects.find("LOOSE-FUTURE-MARKER-6161") == std::string::npos);
  CHECK(objects.find(fix) == std::string::npos);
  CHECK(objects.find("value=1\nmore=0\n") != std::string::npos);  // the check can see blobs
  CHECK(shell(dir, "git cat-file -t " + fix + " 2>&1 || true").find("commit") == std::string::npos);
  CHECK(shell(dir, "git for-each-ref").empty());
  CHECK(shell(dir, "git tag").empty());
  CHECK(shell(dir, "test -e .git/packed-refs && echo packed || echo none") == "none\n");
  CHECK(shell(dir, "git reflog --all 2>/dev/null | grep -c . || true") == "1\n");  // HEAD at the base
  CHECK(shell(dir, "grep -rl FUTURE-FIX-MARKER-5150 .git || true").empty());
  CHECK(shell(dir, "grep -rl " + fix + " .git || true").empty());
  // And the marker is readable in the mirror: the test would catch a leak.
  CHECK(shell(mirror, "git log --all --format=%s").find("FUTURE-FIX-MARKER-5150") != std::string::npos);
}
