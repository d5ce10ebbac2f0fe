// The runs recorded in one work tree, for `undo`, `log` and `show`: each
// run's hidden ref refs/diffsmith/<run-id> (its checkpoints) joined with its
// trajectory .git/diffsmith/runs/<run-id>.jsonl (what happened).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "git/checkpoint.hpp"
#include "git/repository.hpp"

namespace ds::agent {

inline constexpr std::string_view kRunRefPrefix = "refs/diffsmith/";

struct RunInfo {
  std::string id;
  std::optional<git::RunRef> ref;  // its checkpoints; none when the run stopped before the first
  std::string trajectory;          // path of its trajectory file; "" when there is none
  int64_t started = 0;             // seconds since the epoch
  int64_t written_ns = 0;          // the trajectory's last write (orders runs started in one second)
  std::string status;              // run_finished's status; "unfinished" without one (killed)
  std::string reason;              // run_finished's reason
  int64_t turns = 0;
  std::optional<double> cost_usd;  // none when the price is unknown
  size_t files_changed = 0;        // in the final diff; a run that did not finish: its checkpoints
  std::string task;                // the task text
  std::string model;
  std::string summary;  // summary_text of the run's summary
  bool undone = false;  // `diffsmith undo` took it back (and no `undo undo-RUN` brought it back)
};

// Marks run `run_id` undone (`undo` took it back) or not (`undo undo-RUN`
// brought it back): the file .git/diffsmith/undone/RUN.
Status mark_undone(git::Repository& repo, const std::string& run_id, bool undone);

// The run id of a run's hidden ref.
std::string run_id_of(const git::RunRef& ref);

// This work tree's run refs (a linked worktree's runs are its own), without
// the undo records (refs/diffsmith/undo-*), in no particular order.
Result<std::vector<git::RunRef>> run_refs(git::Repository& repo);

// Nanoseconds since the epoch of a file's last write; 0 when it is absent.
int64_t written_at_ns(const std::string& path);

// The runs made in this work tree (a linked worktree's runs are its own),
// newest first; the undo records (refs/diffsmith/undo-*) are not runs.
Result<std::vector<RunInfo>> list_runs(git::Repository& repo);

// A run that stopped without ending (killed, crashed, the machine went
// down) and left its changes in the work tree: the newest run, when it has
// no end and some of `dirty` are files it wrote (its checkpoints or its
// write journal say so). Call it under the work tree's lock: a run in
// progress has no end yet either.
struct InterruptedRun {
  RunInfo run;
  std::vector<std::string> paths;  // the paths of `dirty` the run wrote
};
Result<std::optional<InterruptedRun>> interrupted_run(git::Repository& repo,
                                                      const std::vector<std::string>& dirty);

// A run's summary for `log` and `show`: the model's finish summary without
// edit blocks (a run recorded before the summary was the finish's alone
// may hold a turn's prose and edits), else a neutral line; "" for a run
// that made no request.
std::string summary_text(const std::string& summary, int64_t turns);

// "2026-11-30 15:17:01" in local time.
std::string format_local_time(int64_t t);

// The first line of `text`, cut to `width` bytes with "…", control
// characters shown as escapes (text::terminal_safe).
std::string first_line(const std::string& text, size_t width = 72);

}  // namespace ds::agent
