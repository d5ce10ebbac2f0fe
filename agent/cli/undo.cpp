// `diffsmith undo`: pick the run, check its commit and its files, then take
// both back (git/undo.hpp plans the files, git/run_commit.hpp the commit).
#include "agent/cli/undo.hpp"

#include <algorithm>
#include <iostream>

#include "agent/cli/run_history.hpp"
#include "agent/exit_code.hpp"
#include "git/checkpoint.hpp"
#include "git/repository.hpp"
#include "git/run_commit.hpp"
#include "worktree/lock.hpp"
#include "worktree/undo.hpp"

namespace ds::agent {
namespace {

constexpr std::string_view kCmd = "undo";

int repo_error(std::ostream& err, const Error& e) { return fail(err, kCmd, e.message, ExitCode::Repository); }

// Whether the run changed anything undo could take back: files between its
// checkpoints or in its write journal, or a commit.
Result<bool> changed_something(git::Repository& repo, const RunInfo& run) {
  auto record = git::read_run_commit(repo, run.id);
  if (!record) return record.error();
  if (*record) return true;
  if (!run.ref) return false;
  auto paths = worktree::run_paths(repo, *run.ref);
  if (!paths) return paths.error();
  return !paths->empty();
}

// `undo undo-RUN`: the state an undo replaced comes back, whole.
int redo(git::Repository& repo, const std::string& id, std::ostream& out, std::ostream& err) {
  auto refs = git::list_refs(repo, std::string(kRunRefPrefix));
  if (!refs) return repo_error(err, refs.error());
  auto it = std::find_if(refs->begin(), refs->end(), [&](const git::RunRef& r) {
    return r.name == std::string(kRunRefPrefix) + id && r.worktree == repo.worktree_id();
  });
  if (it == refs->end())
    return fail(err, kCmd, "no undo record '" + id + "' in " + repo.root() + " (see `diffsmith log`)",
                ExitCode::Usage);
  auto now = git::checkpoint(repo, it->name, "diffsmith: state before undo of " + id);
  if (!now)
    return fail(err, kCmd, "cannot record the current state: " + now.error().message, ExitCode::Repository);
  auto paths = git::changed_between(repo, *now, it->first.commit);
  if (!paths) return repo_error(err, paths.error());
  if (Status st = git::restore_paths(repo, *now, it->first.commit, &*paths); !st.ok())
    return repo_error(err, st.error());
  if (Status marked = mark_undone(repo, id.substr(5), false); !marked.ok())
    return repo_error(err, marked.error());
  out << "restored " << paths->size() << " file(s) to the state before " << id.substr(5) << " was undone ("
      << format_local_time(it->first.time) << ")\n";
  return to_int(ExitCode::Ok);
}

// The run to undo: the one named, else the latest that changed something
// and is not undone yet (undo is a stack: each `undo` takes back one more).
Result<std::optional<RunInfo>> pick_run(git::Repository& repo, const std::vector<RunInfo>& runs,
                                        const std::string& named) {
  for (const auto& r : runs) {
    if (!named.empty()) {
      if (r.id == named) return std::optional<RunInfo>(r);
      continue;
    }
    if (r.undone) continue;
    auto changed = changed_something(repo, r);
    if (!changed) return changed.error();
    if (*changed) return std::optional<RunInfo>(r);
  }
  return std::optional<RunInfo>();
}

// Takes back one run (its commit, then its files), recording the state
// before, so the undo can itself be undone; marks the run undone.
int undo_one(git::Repository& repo, const RunInfo& run, bool force, std::ostream& out, std::ostream& err) {
  out << "run " << run.id << " (" << format_local_time(run.started) << ", " << run.status << ")"
      << (run.task.empty() ? "" : ": " + first_line(run.task)) << "\n";
  if (!run.ref) {
    out << "nothing to undo: the run stopped before it could change anything\n";
    return to_int(ExitCode::Ok);
  }

  // The commit first: when the user moved on from it, nothing is touched.
  auto record = git::read_run_commit(repo, run.id);
  if (!record) return repo_error(err, record.error());
  git::CommitCheck commit;
  if (*record) commit = git::check_run_commit(repo, **record);
  if (commit.state == git::CommitState::Moved)
    return fail(err, kCmd,
                "run " + run.id + "'s commit cannot be taken back: " + commit.why +
                    "\nundo changed nothing (neither the branch nor the files).",
                ExitCode::NotSolved);

  // Temporary files of a write the run was killed in are garbage, not state.
  for (const auto& left : worktree::remove_killed_write_leftovers(repo, *run.ref))
    out << "removed " << left << " (a write interrupted when the run was killed)\n";
  // Record the present state first, so the undo itself can be undone.
  std::string undo_ref = std::string(kRunRefPrefix) + "undo-" + run.id;
  auto earlier_undos = git::list_refs(repo, undo_ref);
  bool undone_before =
      earlier_undos.ok() && std::any_of(earlier_undos->begin(), earlier_undos->end(),
                                        [&](const git::RunRef& r) { return r.name == undo_ref; });
  auto now = git::checkpoint(repo, undo_ref, "diffsmith: state before undo of " + run.id);
  if (!now)
    return fail(err, kCmd, "cannot record the current state: " + now.error().message, ExitCode::Repository);
  // What to put back: the files the run changed (start → its last
  // checkpoint, plus every file its write journal names). Files the run
  // never touched keep whatever they hold now.
  auto plan = worktree::plan_undo(repo, *run.ref, *now);
  if (!plan) return repo_error(err, plan.error());
  // A file the run changed and someone changed again since would lose that
  // later work: refuse unless --force.
  if (!plan->changed_since.empty() && !force) {
    std::string msg = std::to_string(plan->changed_since.size()) + " file(s) changed by run " + run.id +
                      " were changed again since:";
    for (const auto& p : plan->changed_since) msg += "\n  " + p;
    msg +=
        "\nundo would discard those later changes; nothing was changed. Pass --force to undo anyway (the "
        "current state is kept as undo-" +
        run.id + ").";
    return fail(err, kCmd, msg, ExitCode::NotSolved);
  }
  if (plan->restore.empty() && commit.state != git::CommitState::OnBranch) {
    if (undone_before)
      out << "run " << run.id << " is already undone: the files it changed are as it found them"
          << (*record ? " and its commit is off the branch" : "") << "\n";
    else
      out << "nothing to undo: the files run " << run.id << " changed are already as it found them\n";
    return to_int(ExitCode::Ok);
  }

  if (commit.state == git::CommitState::OnBranch) {
    auto said = git::undo_run_commit(repo, run.id, **record);
    if (!said) return repo_error(err, said.error());
    out << *said << "\n";
  }
  std::sort(plan->restore.begin(), plan->restore.end());
  if (Status st = git::restore_paths(repo, *now, run.ref->first.commit, &plan->restore); !st.ok())
    return repo_error(err, st.error());
  out << "restored " << plan->restore.size() << " file(s) to the start of run " << run.id << " ("
      << format_local_time(run.ref->first.time) << ")\n";
  // The mark `log` and the next `undo` read: this run is taken back.
  if (Status marked = mark_undone(repo, run.id, true); !marked.ok()) return repo_error(err, marked.error());
  out << "the state before this undo is kept: `diffsmith undo undo-" << run.id << "` brings the files back"
      << (*record ? " (not the commit)" : "") << "\n";
  return to_int(ExitCode::Ok);
}

// `undo --all-since RUN`: RUN and every later run, newest first, each one
// not undone yet that changed something; stops at the first that fails.
int undo_all_since(git::Repository& repo, const std::string& since, bool force, std::ostream& out,
                   std::ostream& err) {
  auto runs = list_runs(repo);
  if (!runs) return repo_error(err, runs.error());
  auto last = std::find_if(runs->begin(), runs->end(), [&](const RunInfo& r) { return r.id == since; });
  if (last == runs->end())
    return fail(err, kCmd, "no run '" + since + "' in " + repo.root() + " (see `diffsmith log`)",
                ExitCode::Usage);
  int undone = 0;
  for (auto it = runs->begin(); it != last + 1; ++it) {
    if (it->undone) continue;
    auto changed = changed_something(repo, *it);
    if (!changed) return repo_error(err, changed.error());
    if (!*changed) continue;
    if (int rc = undo_one(repo, *it, force, out, err); rc != 0) {
      err << "diffsmith undo: stopped at run " << it->id << "; " << undone
          << " later run(s) were undone before it\n";
      return rc;
    }
    ++undone;
  }
  out << "undid " << undone << " run(s) from " << since << " on\n";
  return to_int(ExitCode::Ok);
}

}  // namespace

int run_undo_command(const UndoCommandOptions& o, std::ostream& out, std::ostream& err) {
  auto repo = git::Repository::open(o.dir);
  if (!repo) return repo_error(err, repo.error());
  auto lock = worktree::RepoLock::acquire(*repo);
  if (!lock) return repo_error(err, lock.error());
  if (o.run.rfind("undo-", 0) == 0) return redo(*repo, o.run, out, err);
  if (!o.all_since.empty()) return undo_all_since(*repo, o.all_since, o.force, out, err);

  auto runs = list_runs(*repo);
  if (!runs) return repo_error(err, runs.error());
  if (runs->empty())
    return fail(err, kCmd, "no diffsmith run is recorded in " + repo->root(), ExitCode::Usage);
  auto picked = pick_run(*repo, *runs, o.run);
  if (!picked) return repo_error(err, picked.error());
  if (!*picked && !o.run.empty())
    return fail(err, kCmd, "no run '" + o.run + "' in " + repo->root() + " (see `diffsmith log`)",
                ExitCode::Usage);
  if (!*picked) {
    const RunInfo& latest = runs->front();
    if (latest.undone)
      out << "nothing to undo: the latest run, " << latest.id
          << ", is already undone and no run before it is left to undo\n";
    else
      out << "nothing to undo: no run in " << repo->root() << " changed anything (the latest, " << latest.id
          << ", ended " << latest.status << ")\n";
    return to_int(ExitCode::Ok);
  }
  return undo_one(*repo, **picked, o.force, out, err);
}

}  // namespace ds::agent
