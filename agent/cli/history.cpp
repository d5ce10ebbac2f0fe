// `diffsmith undo` and `diffsmith log` over the hidden refs refs/diffsmith/*.
#include "agent/cli/history.hpp"

#include <algorithm>
#include <ctime>
#include <iostream>

#include "git/checkpoint.hpp"
#include "git/lock.hpp"
#include "git/repository.hpp"
#include "git/undo.hpp"
#include "json/value.hpp"

namespace ds::agent {
namespace {

const std::string kPrefix = "refs/diffsmith/";

std::string format_time(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  localtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

// The runs made in this work tree (a linked worktree's runs are its own),
// newest first.
Result<std::vector<git::RunRef>> runs_of(git::Repository& repo) {
  auto refs = git::list_refs(repo, kPrefix);
  if (!refs.ok()) return refs;
  std::erase_if(*refs, [&](const git::RunRef& r) { return r.worktree != repo.worktree_id(); });
  std::sort(refs->begin(), refs->end(), [](const git::RunRef& a, const git::RunRef& b) {
    return a.first.time > b.first.time || (a.first.time == b.first.time && a.name > b.name);
  });
  return refs;
}

}  // namespace

int run_undo_command(const UndoCommandOptions& o, std::ostream& out, std::ostream& err) {
  auto repo = git::Repository::open(o.dir);
  if (!repo.ok()) {
    err << "diffsmith undo: " << repo.error().message << "\n";
    return 4;
  }
  auto lock = git::RepoLock::acquire(*repo);
  if (!lock.ok()) {
    err << "diffsmith undo: " << lock.error().message << "\n";
    return 4;
  }
  auto runs = runs_of(*repo);
  if (!runs.ok()) {
    err << "diffsmith undo: " << runs.error().message << "\n";
    return 4;
  }
  // Undo records of earlier undos are runs too; skip them when picking the latest.
  const git::RunRef* run = nullptr;
  for (const auto& r : *runs) {
    std::string id = r.name.substr(kPrefix.size());
    if (o.run.empty() ? id.rfind("undo-", 0) != 0 : id == o.run) {
      run = &r;
      break;
    }
  }
  if (!run) {
    if (o.run.empty())
      err << "diffsmith undo: no diffsmith run is recorded in " << repo->root() << "\n";
    else
      err << "diffsmith undo: no run '" << o.run << "' in " << repo->root() << " (see `diffsmith log`)\n";
    return 2;
  }
  std::string id = run->name.substr(kPrefix.size());
  bool undo_of_undo = id.rfind("undo-", 0) == 0;
  // Temporary files of a write the run was killed in are garbage, not state.
  if (!undo_of_undo) {
    for (const auto& left : git::remove_killed_write_leftovers(*repo, *run))
      out << "removed " << left << " (a write interrupted when the run was killed)\n";
  }
  // Record the present state first, so the undo itself can be undone.
  auto now = git::checkpoint(*repo, kPrefix + (undo_of_undo ? id : "undo-" + id),
                             "diffsmith: state before undo of " + id);
  if (!now.ok()) {
    err << "diffsmith undo: cannot record the current state: " << now.error().message << "\n";
    return 4;
  }
  // What to put back: the files the run changed (start → its last
  // checkpoint, plus every file its write journal names: a run killed
  // before its next checkpoint wrote files no checkpoint records). Files
  // the run never touched keep whatever they hold now. An undo record is put
  // back whole.
  std::vector<std::string> paths;
  if (undo_of_undo) {
    auto changed = git::changed_between(*repo, *now, run->first.commit);
    if (!changed.ok()) {
      err << "diffsmith undo: " << changed.error().message << "\n";
      return 4;
    }
    paths = std::move(*changed);
  } else {
    auto plan = git::plan_undo(*repo, *run, *now);
    if (!plan.ok()) {
      err << "diffsmith undo: " << plan.error().message << "\n";
      return 4;
    }
    // A file the run changed and someone changed again since would lose that
    // later work: refuse unless --force.
    if (!plan->changed_since.empty() && !o.force) {
      err << "diffsmith undo: " << plan->changed_since.size() << " file(s) changed by run " << id
          << " were changed again since:";
      for (const auto& p : plan->changed_since) err << "\n  " << p;
      err << "\nundo would discard those later changes; nothing was changed. Pass --force to undo anyway "
             "(the current state is kept as undo-"
          << id << ").\n";
      return 1;
    }
    paths = std::move(plan->restore);
  }
  std::sort(paths.begin(), paths.end());
  Status st = git::restore_paths(*repo, *now, run->first.commit, &paths);
  if (!st.ok()) {
    err << "diffsmith undo: " << st.error().message << "\n";
    return 4;
  }
  out << "restored " << paths.size() << " file(s) to the start of run " << id << " ("
      << format_time(run->first.time) << ")\n";
  if (!undo_of_undo)
    out << "the state before this undo is kept: `diffsmith undo undo-" << id << "` brings it back\n";
  return 0;
}

int run_log_command(const LogCommandOptions& o, std::ostream& out, std::ostream& err) {
  auto repo = git::Repository::open(o.dir);
  if (!repo.ok()) {
    err << "diffsmith log: " << repo.error().message << "\n";
    return 4;
  }
  auto runs = runs_of(*repo);
  if (!runs.ok()) {
    err << "diffsmith log: " << runs.error().message << "\n";
    return 4;
  }
  if (runs->empty() && !o.json) out << "no diffsmith runs in " << repo->root() << "\n";
  for (const auto& r : *runs) {
    std::string id = r.name.substr(kPrefix.size());
    if (o.json) {
      json::Value v = json::Value::object();
      v.set("run", id).set("started", r.first.time).set("updated", r.tip.time);
      v.set("checkpoints", static_cast<int64_t>(r.checkpoints)).set("start_commit", r.first.commit);
      v.set("last_commit", r.tip.commit).set("last_message", r.tip.message).set("base", r.base);
      out << json::dump(v) << "\n";
    } else {
      std::string msg = r.tip.message.substr(0, r.tip.message.find('\n'));
      out << id << "  " << format_time(r.first.time) << "  " << r.checkpoints << " checkpoint(s)  " << msg
          << "\n";
    }
  }
  return 0;
}

}  // namespace ds::agent
