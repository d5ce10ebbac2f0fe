// Loading the run a follow-up continues (agent/cli/follow_up.hpp).
#include "agent/cli/follow_up.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "agent/cli/run_history.hpp"
#include "agent/exit_code.hpp"
#include "agent/trajectory.hpp"
#include "git/blob.hpp"
#include "git/checkpoint.hpp"
#include "git/repository.hpp"
#include "git/run_commit.hpp"
#include "worktree/lock.hpp"
#include "worktree/undo.hpp"
#include "worktree/workdir_source.hpp"

namespace ds::agent {
namespace {

constexpr int kMaxChain = 1000;  // runs in one conversation; more means a cycle

// A follow-up that cannot be: a usage error (no kind). A repository that
// cannot be read: a git error (exit code 4).
Error refused(const std::string& message) { return make_error(message); }
Error repo_error(const Error& e) {
  return e.kind.library() == ErrorLibrary::Git ? e : make_error(e.message, git::ErrorKind::GitError);
}

// The run to continue among this work tree's runs. Runs that start in the
// same second (checkpoint times are whole seconds) are ordered by their
// trajectory's last write.
Result<git::RunRef> find_run(git::Repository& repo, const std::string& runs_dir, const std::string& run_id) {
  auto refs = run_refs(repo);
  if (!refs.ok()) return repo_error(refs.error());
  if (!run_id.empty()) {
    for (const auto& r : *refs)
      if (run_id_of(r) == run_id) return r;
    return refused("no run '" + run_id + "' to continue in " + repo.root() +
                   ": `diffsmith log` lists the runs of this work tree");
  }
  if (refs->empty())
    return refused("no diffsmith run is recorded in " + repo.root() +
                   ", so there is nothing to continue: start one without --continue");
  auto key = [&](const git::RunRef& r) {
    return std::make_tuple(r.first.time, written_at_ns(runs_dir + "/" + run_id_of(r) + ".jsonl"), r.name);
  };
  return *std::max_element(refs->begin(), refs->end(),
                           [&](const git::RunRef& a, const git::RunRef& b) { return key(a) < key(b); });
}

// Whether every file the run changed (start → last checkpoint) is back as it
// was at its start: its change was undone. A run that changed nothing was
// not undone.
Result<bool> was_undone(git::Repository& repo, const git::RunRef& run) {
  auto changed = git::changed_between(repo, run.first.commit, run.tip.commit);
  if (!changed.ok()) return repo_error(changed.error());
  if (changed->empty()) return false;
  worktree::WorkdirSource tree(repo);
  for (const auto& path : *changed) {
    auto start = git::file_at_commit(repo, run.first.commit, path);
    auto now = tree.read(path);
    if (!start.ok() || !now.ok() || *start != *now) return false;
  }
  return true;
}

}  // namespace

Result<FollowUp> load_follow_up(git::Repository& repo, const std::string& run_id) {
  auto ds_dir = git::diffsmith_dir(repo);
  if (!ds_dir.ok()) return repo_error(ds_dir.error());
  std::string runs_dir = *ds_dir + "/runs";
  auto run = find_run(repo, runs_dir, run_id);
  if (!run.ok()) return run.error();
  std::string id = run_id_of(*run);

  auto undone = was_undone(repo, *run);
  if (!undone.ok()) return undone.error();
  if (*undone)
    return refused("the changes of run " + id +
                   " were undone (every file it changed is back as it was at its start), so its "
                   "conversation no longer matches the files: start a new run without --continue");

  std::string path = runs_dir + "/" + id + ".jsonl";
  auto t = read_trajectory(path);
  if (!t.ok())
    return refused("cannot continue run " + id + ": " + t.error().message +
                   " (its conversation is read from there): start a new run without --continue");
  FollowUp f;
  f.conversation.run_id = id;
  f.conversation.messages = std::move(t->messages);
  if (f.conversation.messages.empty() || f.conversation.messages.front().role != llm::Role::System)
    return refused("run " + id + " recorded no conversation (it stopped before its first request): start " +
                   "a new run without --continue");
  answer_open_tool_calls(f.conversation.messages);
  if (const json::Value* started = t->find_event("run_started"))
    f.test_cmd = (*started)["test_cmd"].as_string();

  // The conversation's runs, newest first: each run_started names the run it
  // continues. Their changed files are the conversation's own.
  std::set<std::string> changed, seen, branches;
  std::string current = id;
  git::RunRef ref = *run;
  Trajectory traj = std::move(*t);
  for (int hops = 0; !current.empty() && seen.insert(current).second && hops < kMaxChain; ++hops) {
    f.conversation.first_run_id = current;
    if (auto paths = worktree::run_paths(repo, ref); paths.ok()) changed.insert(paths->begin(), paths->end());
    if (auto c = git::read_run_commit(repo, current); c.ok() && *c && !(*c)->undone)
      branches.insert((*c)->branch);
    const json::Value* started = traj.find_event("run_started");
    std::string previous = started ? (*started)["continues"].as_string() : std::string();
    if (previous.empty()) break;
    auto prev_ref = find_run(repo, runs_dir, previous);
    auto prev_traj = read_trajectory(runs_dir + "/" + previous + ".jsonl");
    if (!prev_ref.ok() || !prev_traj.ok()) {
      f.conversation.first_run_id = previous;  // its record is gone; its id still names the conversation
      break;
    }
    current = previous;
    ref = std::move(*prev_ref);
    traj = std::move(*prev_traj);
  }
  f.changed.assign(changed.begin(), changed.end());
  f.committed_branches.assign(branches.begin(), branches.end());
  return f;
}

}  // namespace ds::agent
