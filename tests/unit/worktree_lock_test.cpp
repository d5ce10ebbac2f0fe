// RepoLock and diffsmith_dir: one run per work tree, stale locks replaced,
// each linked worktree with its own lock, found through a "gitdir:" file.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/git_repo.hpp"
#include "worktree/lock.hpp"

using namespace ds::git;
using namespace ds::worktree;
using ds::git::testing::open_repo;
using ds::git::testing::TempRepo;

namespace {

// A pid that is certainly dead: a child we started and reaped.
pid_t dead_pid() {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  ::waitpid(pid, nullptr, 0);
  return pid;
}

}  // namespace

TEST_CASE("a second lock on the same work tree is refused until the first is released") {
  TempRepo repo;
  auto r = open_repo(repo.root);
  auto dir = diffsmith_dir(r);
  REQUIRE(dir.ok());
  CHECK(*dir == repo.root + "/.git/diffsmith");
  {
    auto first = RepoLock::acquire(r);
    REQUIRE(first.ok());
    CHECK(first->path() == repo.root + "/.git/diffsmith/lock");
    CHECK(repo.read(".git/diffsmith/lock").rfind(std::to_string(::getpid()) + " ", 0) == 0);

    auto r2 = open_repo(repo.path(""));
    auto second = RepoLock::acquire(r2);
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().kind == ErrorKind::Locked);
    CHECK(second.error().message.find("another diffsmith run (pid " + std::to_string(::getpid()) +
                                      ") is working in this work tree (" + repo.root + ")") !=
          std::string::npos);
    RepoLock moved = std::move(first).value();  // moving keeps one owner
    CHECK(repo.exists(".git/diffsmith/lock"));
  }
  CHECK_FALSE(repo.exists(".git/diffsmith/lock"));
  auto again = RepoLock::acquire(r);
  REQUIRE(again.ok());
  again->release();
  CHECK_FALSE(repo.exists(".git/diffsmith/lock"));
}

TEST_CASE("a lock whose owner is dead, or whose pid was reused, is replaced") {
  TempRepo repo;
  auto r = open_repo(repo.root);
  REQUIRE(diffsmith_dir(r).ok());
  SECTION("dead pid") { repo.write(".git/diffsmith/lock", std::to_string(dead_pid()) + " 12345\n"); }
  SECTION("live pid with another start time (reused)") {
    repo.write(".git/diffsmith/lock", std::to_string(::getppid()) + " 1\n");
  }
  SECTION("garbage") { repo.write(".git/diffsmith/lock", "not a pid\n"); }
  auto lock = RepoLock::acquire(r);
  INFO((lock.ok() ? "" : lock.error().message));
  REQUIRE(lock.ok());
  CHECK(repo.read(".git/diffsmith/lock").rfind(std::to_string(::getpid()) + " ", 0) == 0);
}

TEST_CASE("a lock held by another live process blocks, releasing someone else's lock is a no-op") {
  TempRepo repo;
  auto r = open_repo(repo.root);
  REQUIRE(diffsmith_dir(r).ok());
  pid_t child = ::fork();
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  // Written without a start time (an older format): the pid alone decides.
  repo.write(".git/diffsmith/lock", std::to_string(child) + "\n");
  auto lock = RepoLock::acquire(r);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  REQUIRE_FALSE(lock.ok());
  CHECK(lock.error().message.find("pid " + std::to_string(child)) != std::string::npos);
  CHECK(repo.read(".git/diffsmith/lock") == std::to_string(child) + "\n");
  auto now_free = RepoLock::acquire(r);  // the child is dead now
  REQUIRE(now_free.ok());
}

TEST_CASE("each linked worktree has its own lock, named for its own folder, gitdir files work") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit_all();
  TempRepo other(/*init=*/false);
  repo.git("worktree add -q '" + other.root + "/wt' -b side");
  auto main = open_repo(repo.root);
  auto linked = open_repo(other.root + "/wt");
  CHECK(linked.root() == other.root + "/wt");
  CHECK(linked.common_dir() == repo.root + "/.git");
  CHECK(main.worktree_id() == ".");
  CHECK(linked.worktree_id() == "worktrees/wt");
  auto dir = diffsmith_dir(linked);
  REQUIRE(dir.ok());
  CHECK(*dir == repo.root + "/.git/worktrees/wt/diffsmith");
  auto main_dir = diffsmith_dir(main);
  REQUIRE(main_dir.ok());
  CHECK(*main_dir == repo.root + "/.git/diffsmith");

  // Runs in two work trees do not block each other...
  auto lock = RepoLock::acquire(main);
  REQUIRE(lock.ok());
  auto second = RepoLock::acquire(linked);
  REQUIRE(second.ok());
  // ...a second run in the same one is refused, naming that work tree.
  auto again = open_repo(other.root + "/wt");
  auto blocked = RepoLock::acquire(again);
  REQUIRE_FALSE(blocked.ok());
  CHECK(blocked.error().kind == ErrorKind::Locked);
  CHECK(blocked.error().message.find("(" + other.root + "/wt)") != std::string::npos);

  // A work tree whose .git is a "gitdir:" file (git init --separate-git-dir).
  TempRepo sep(/*init=*/false);
  sep.sh("git init -q --separate-git-dir '" + sep.root + "/store.git' wt");
  auto separate = open_repo(sep.root + "/wt");
  CHECK(separate.root() == sep.root + "/wt");
  CHECK(separate.worktree_id() == ".");
  auto sep_dir = diffsmith_dir(separate);
  REQUIRE(sep_dir.ok());
  CHECK(*sep_dir == sep.root + "/store.git/diffsmith");
}
