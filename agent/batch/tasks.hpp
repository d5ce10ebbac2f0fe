// The tasks file of `diffsmith batch`: SWE-bench instances or generic tasks,
// as JSONL, a JSON list, or a JSON object keyed by id. Bad entries are
// reported (with their line number) and skipped; the rest still run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace ds::agent {

struct BatchTask {
  std::string id;           // instance_id (SWE-bench) or id
  std::string repo;         // "owner/name", a local path, or a git URL
  std::string base_commit;  // "" = the repository's HEAD
  std::string text;         // what the model is asked to do: problem_statement or task
  std::string hints;        // SWE-bench hints_text: shown only with --hints
  std::string test_cmd;     // the task's own test command ("" = use --test-cmd)
  std::vector<std::string> fail_to_pass, pass_to_pass;
  std::string test_patch;  // applied before the loop, never part of the prediction
  std::string version;
  bool swe_bench = false;  // read from instance_id / problem_statement fields
  std::string where;       // "line 3", "item 2", "key \"x\"": for messages
};

struct BadTask {
  std::string where;    // "line 7"
  std::string id;       // when known
  std::string message;  // what is wrong and how to fix it
};

struct TaskFile {
  std::vector<BatchTask> tasks;  // in file order, ids unique
  std::vector<BadTask> bad;
};

// Parses the text of a tasks file. The format is detected: a JSON list, an
// object keyed by id, or JSONL (one object per line; blank lines ignored).
// Errors only when nothing can be read (a list or keyed object that is not
// valid JSON); single bad entries go to TaskFile::bad.
Result<TaskFile> parse_tasks(std::string_view text);

// Reads and parses `path`.
Result<TaskFile> load_tasks(const std::string& path);

// The problem statement, then the hints (when there are any) under their
// own heading: what the model gets for a SWE-bench instance with --hints.
std::string swe_bench_task_text(const std::string& problem_statement, const std::string& hints);

// The task text the model gets: `t.text`, plus the hints only when
// `with_hints` (--hints; SWE-bench's rules forbid them for a score).
std::string model_task_text(const BatchTask& t, bool with_hints);

}  // namespace ds::agent
