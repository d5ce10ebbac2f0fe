// Checkpoints on hidden refs and restore_worktree: the user's HEAD, branch
// and index stay untouched, and undo brings back a dirty start byte for byte.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <map>

#include "git/checkpoint.hpp"
#include "support/git_repo.hpp"
#include "worktree/apply.hpp"

using namespace ds::git;
using namespace ds::worktree;
using ds::git::testing::open_repo;
using ds::git::testing::TempRepo;

namespace {

// Every file under root except .git: bytes, executable bit, link or not.
std::map<std::string, std::string> tree_snapshot(const std::string& root) {
  namespace fs = std::filesystem;
  std::map<std::string, std::string> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    std::string rel = fs::relative(it->path(), root).string();
    if (rel == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_symlink()) {
      out[rel] = "link:" + fs::read_symlink(it->path()).string();
    } else if (it->is_regular_file()) {
      struct stat st;
      REQUIRE(::stat(it->path().c_str(), &st) == 0);
      out[rel] = std::string((st.st_mode & 0100) ? "x:" : "-:") + ds::git::testing::read_file(it->path());
    } else if (it->is_directory()) {
      out[rel + "/"] = "dir";
    }
  }
  return out;
}

// A repository with every kind of uncommitted state.
void make_dirty(const TempRepo& repo) {
  repo.write(".gitignore", "*.log\n");
  repo.write("src/a.py", "a = 1\n");
  repo.write("src/b.py", "b = 1\n");
  repo.write("del.txt", "to be deleted\n");
  repo.write("run.sh", "echo hi\n");
  repo.write("crlf.txt", "x\r\ny\r\n");
  repo.sh("chmod +x run.sh && ln -s src/a.py link.py");
  repo.commit_all("base");
  repo.write("src/a.py", "a = 2  # modified, unstaged\n");
  repo.write("src/b.py", "b = 2  # staged\n");
  repo.git("add src/b.py");
  repo.sh("rm del.txt");
  repo.write("notes/todo.md", "untracked\n");
  repo.write("debug.log", "ignored\n");
}

}  // namespace

TEST_CASE("checkpoint leaves HEAD, the branch and the index file untouched") {
  TempRepo repo;
  make_dirty(repo);
  std::string index = repo.read(".git/index");
  std::string status = repo.git("status --porcelain");
  std::string head = repo.git("rev-parse HEAD");
  std::string branch = repo.git("symbolic-ref HEAD");
  std::string branches = repo.git("branch -a");
  auto r = open_repo(repo);

  auto first = checkpoint(r, "refs/diffsmith/run-1", "start of run");
  REQUIRE(first.ok());
  auto second = checkpoint(r, "refs/diffsmith/run-1", "turn 1");
  REQUIRE(second.ok());

  CHECK(repo.read(".git/index") == index);
  CHECK(repo.git("status --porcelain") == status);
  CHECK(repo.git("rev-parse HEAD") == head);
  CHECK(repo.git("symbolic-ref HEAD") == branch);
  CHECK(repo.git("branch -a") == branches);
  CHECK(repo.git("rev-parse refs/diffsmith/run-1").substr(0, 40) == *second);
  CHECK(repo.git("rev-parse " + *first + "^").substr(0, 40) == head.substr(0, 40));
  CHECK(repo.git("rev-parse " + *second + "^").substr(0, 40) == *first);

  // The snapshot is the work tree on disk: deleted and ignored files absent.
  std::string files = repo.git("ls-tree -r --name-only " + *first);
  CHECK(files == ".gitignore\ncrlf.txt\nlink.py\nnotes/todo.md\nrun.sh\nsrc/a.py\nsrc/b.py\n");
  CHECK(repo.git("show " + *first + ":src/a.py") == "a = 2  # modified, unstaged\n");
  CHECK(repo.git("show " + *first + ":src/b.py") == "b = 2  # staged\n");
  CHECK(repo.git("show " + *first + ":crlf.txt") == "x\r\ny\r\n");
  CHECK(repo.git("ls-tree " + *first + " run.sh").substr(0, 6) == "100755");
  CHECK(repo.git("ls-tree " + *first + " link.py").substr(0, 6) == "120000");
}

TEST_CASE("checkpoint snapshots raw bytes of attribute-filtered files") {
  TempRepo repo;
  repo.write(".gitattributes", "*.txt text eol=crlf\n");
  repo.write("a.txt", "x\ny\n");
  repo.commit_all();
  repo.sh("rm a.txt && git checkout -q a.txt");
  REQUIRE(repo.read("a.txt") == "x\r\ny\r\n");
  auto r = open_repo(repo);
  auto id = checkpoint(r, "refs/diffsmith/eol", "snap");
  REQUIRE(id.ok());
  CHECK(repo.git("cat-file blob " + *id + ":a.txt") == "x\r\ny\r\n");
}

TEST_CASE("undo: restoring the start checkpoint brings back a dirty start byte for byte") {
  TempRepo repo;
  make_dirty(repo);
  auto r = open_repo(repo);
  auto before = tree_snapshot(repo.root);
  std::string index = repo.read(".git/index");
  auto start = checkpoint(r, "refs/diffsmith/run-2", "start");
  REQUIRE(start.ok());

  // The run: edits through apply_changes, plus what tests and tools may do.
  auto st = apply_changes(r, {{"src/a.py", "a = 2  # modified, unstaged\n", "a = 3\n"},
                              {"notes/todo.md", "untracked\n", std::nullopt},
                              {"new/pkg/mod.py", std::nullopt, "new = True\n"},
                              {"crlf.txt", "x\r\ny\r\n", "x\r\nY\r\n"}});
  INFO((st.ok() ? "" : st.error().message));
  REQUIRE(st.ok());
  repo.sh("rm src/b.py && chmod -x run.sh && rm link.py && ln -s src/b.py link.py");
  repo.write("del.txt", "recreated\n");
  repo.write("build.log", "ignored output\n");
  REQUIRE(tree_snapshot(repo.root) != before);

  auto now = checkpoint(r, "refs/diffsmith/run-2", "before undo");
  REQUIRE(now.ok());
  auto restored = restore_worktree(r, *now, *start);
  INFO((restored.ok() ? "" : restored.error().message));
  REQUIRE(restored.ok());

  auto after = tree_snapshot(repo.root);
  after.erase("build.log");  // ignored: in neither checkpoint, left alone
  CHECK(after == before);
  CHECK(repo.read(".git/index") == index);
  CHECK_FALSE(repo.exists("new"));  // folders the run created are gone

  // And forward again (redo): now == the state before undo.
  auto redo = restore_worktree(r, *start, *now);
  REQUIRE(redo.ok());
  CHECK(repo.read("src/a.py") == "a = 3\n");
  CHECK(repo.read("new/pkg/mod.py") == "new = True\n");
  CHECK_FALSE(repo.exists("notes/todo.md"));
  CHECK(repo.mode("run.sh") == 0644);
}

TEST_CASE("checkpoint works in a repository without commits and refuses user refs") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  auto r = open_repo(repo);
  auto id = checkpoint(r, "refs/diffsmith/empty", "first");
  REQUIRE(id.ok());
  CHECK(repo.git("rev-list --count " + *id) == "1\n");
  CHECK(repo.git("show " + *id + ":a.txt") == "a\n");
  for (std::string bad : {"refs/heads/main", "HEAD", "refs/diffsmith/bad name", "refs/tags/v1"}) {
    auto refused = checkpoint(r, bad, "x");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.find("invalid checkpoint ref") != std::string::npos);
  }
}

TEST_CASE("list_refs reports each run's tip, first checkpoint and base") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit_all();
  std::string head = repo.git("rev-parse HEAD").substr(0, 40);
  auto r = open_repo(repo);
  auto a1 = checkpoint(r, "refs/diffsmith/run-a", "a start");
  REQUIRE(a1.ok());
  repo.write("a.txt", "a2\n");
  auto a2 = checkpoint(r, "refs/diffsmith/run-a", "a turn 1");
  REQUIRE(a2.ok());
  auto a3 = checkpoint(r, "refs/diffsmith/run-a", "a end\n");
  REQUIRE(a3.ok());
  auto b1 = checkpoint(r, "refs/diffsmith/run-b", "b start");
  REQUIRE(b1.ok());
  auto other = checkpoint(r, "refs/other/x", "not listed");
  REQUIRE(other.ok());

  auto refs = list_refs(r);
  REQUIRE(refs.ok());
  REQUIRE(refs->size() == 2);
  std::map<std::string, RunRef> by_name;
  for (auto& ref : *refs) by_name[ref.name] = ref;
  const RunRef& a = by_name.at("refs/diffsmith/run-a");
  CHECK(a.tip.commit == *a3);
  CHECK(a.tip.message == "a end");
  CHECK(a.first.commit == *a1);
  CHECK(a.first.message == "a start");
  CHECK(a.checkpoints == 3);
  CHECK(a.base == head);
  CHECK(a.tip.time >= a.first.time);
  CHECK(a.tip.time > 1600000000);
  const RunRef& b = by_name.at("refs/diffsmith/run-b");
  CHECK(b.tip.commit == *b1);
  CHECK(b.first.commit == *b1);
  CHECK(b.checkpoints == 1);
  CHECK(b.base == head);
}
