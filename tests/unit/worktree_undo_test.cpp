// Linked worktrees (issue 15, item 8): runs, locks and undo belong to one
// work tree. A run made in a linked worktree is invisible to `undo` and
// `log` in the main one (and the other way round), even with --force.
#include <catch2/catch.hpp>
#include <sstream>

#include "agent/cli/log.hpp"
#include "agent/cli/undo.hpp"
#include "git/checkpoint.hpp"
#include "support/git_repo.hpp"
#include "worktree/apply.hpp"

using namespace ds::git;
using namespace ds::worktree;
using ds::git::testing::open_repo;
using ds::git::testing::TempRepo;

namespace {

struct Outcome {
  int code;
  std::string out, err;
};

Outcome undo(const std::string& dir, bool force = false, const std::string& run = "") {
  ds::agent::UndoCommandOptions o;
  o.dir = dir;
  o.force = force;
  o.run = run;
  std::ostringstream out, err;
  int code = ds::agent::run_undo_command(o, out, err);
  return {code, out.str(), err.str()};
}

std::string log_of(const std::string& dir) {
  ds::agent::LogCommandOptions o;
  o.dir = dir;
  std::ostringstream out, err;
  REQUIRE(ds::agent::run_log_command(o, out, err) == 0);
  return out.str();
}

}  // namespace

TEST_CASE("undo in the main work tree never touches a run made in a linked worktree") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit_all();
  TempRepo other(/*init=*/false);
  const std::string wt = other.root + "/wt";
  repo.git("worktree add -q '" + wt + "' -b side");

  // A run in the linked worktree: start checkpoint, an edit, end checkpoint.
  {
    auto linked = open_repo(wt);
    REQUIRE(checkpoint(linked, "refs/diffsmith/run-linked", "start").ok());
    REQUIRE(apply_changes(linked, {{"a.txt", "a\n", "a edited by the run in wt\n"}}).ok());
    REQUIRE(checkpoint(linked, "refs/diffsmith/run-linked", "end").ok());
  }
  // Meanwhile the user works in the main work tree.
  repo.write("a.txt", "a\nthe user's change in main\n");

  Outcome in_main = undo(repo.root, /*force=*/true);
  INFO(in_main.out << in_main.err);
  CHECK(in_main.code == 2);
  CHECK(in_main.err.find("no diffsmith run is recorded in " + repo.root) != std::string::npos);
  Outcome named = undo(repo.root, true, "run-linked");
  CHECK(named.code == 2);
  CHECK(repo.read("a.txt") == "a\nthe user's change in main\n");
  CHECK(log_of(repo.root).find("run-linked") == std::string::npos);

  // In its own work tree the run is found and undone.
  CHECK(log_of(wt).find("run-linked") != std::string::npos);
  Outcome in_wt = undo(wt);
  INFO(in_wt.out << in_wt.err);
  REQUIRE(in_wt.code == 0);
  CHECK(ds::git::testing::read_file(wt + "/a.txt") == "a\n");
  CHECK(repo.read("a.txt") == "a\nthe user's change in main\n");
}
