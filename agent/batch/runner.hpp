// The batch worker pool: N workers take tasks in order, each runs the same
// agent loop as `diffsmith run` (Session) in the task's own checkout, and
// appends the prediction and its meta line as soon as the task finishes.
// Workers share the cost budget (--max-cost-total) and the model's rate-limit
// pause (a 429 seen by one slows all). On Ctrl-C no new task starts and the
// running ones end as interrupted; interrupted tasks get no prediction line,
// so a re-run does them again.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/batch/config.hpp"
#include "agent/batch/output.hpp"
#include "agent/batch/progress.hpp"
#include "agent/batch/tasks.hpp"
#include "agent/batch/workspace.hpp"
#include "agent/config/run_config.hpp"
#include "git/repository.hpp"
#include "llm/pricing.hpp"
#include "llm/types.hpp"

namespace ds::agent {

struct TaskResult {
  std::string id;
  // solved | unverified | unsolved | error | interrupted | not started
  std::string status = "not started";
  std::string reason;
  int turns = 0;
  std::optional<double> cost_usd;
  double duration_s = 0;
  llm::Usage usage;
  std::string patch;                    // the prediction: the model's change only
  std::optional<bool> patch_applies;    // checked against base_commit in memory
  bool written = false;                 // a prediction line went to --out
  std::string trajectory;               // --work-dir/trajs/<id>.jsonl
  std::string test_source;              // where the test command came from; "none" = untested
  std::vector<AttemptResult> attempts;  // --attempts N: every attempt (the meta line's `attempts`)
  std::string selection;                // why the winner won
};

// Whether a task with this status gets a prediction line: the loop reached a
// verdict (solved; unverified: a change no test checked; unsolved within the
// budgets). Errors and interruptions do not, so a re-run retries them.
bool writes_prediction(const std::string& status);

struct TaskRun;  // one task on its way through the passes (runner.cpp)

class BatchRunner {
 public:
  // `clients` holds one model client per worker (the same pointer repeated
  // when one thread-safe client is shared, as for --replay).
  BatchRunner(const BatchConfig& cfg, Workspace& ws, JsonlAppender& preds, JsonlAppender& meta,
              BatchProgress& progress, std::shared_ptr<llm::CostTracker> costs,
              const std::atomic<bool>* interrupted);

  // Runs `tasks` on clients.size() workers; one result per task, in order.
  std::vector<TaskResult> run(const std::vector<BatchTask>& tasks, const std::vector<llm::Client*>& clients);

  // One task, start to finish, in the calling thread.
  TaskResult run_task(const BatchTask& task, llm::Client& client);

 private:
  // Why no new task may start ("" = go on).
  std::string stop_reason() const;
  // run_task's passes over one TaskRun (runner.cpp), in order; each returns
  // "" to go on or why the task ended.
  std::string solve(TaskRun& t);
  std::string checkout(TaskRun& t);
  std::string prepare(TaskRun& t);
  std::string tools(TaskRun& t);
  std::string attempts(TaskRun& t);
  std::string outputs(TaskRun& t);
  // prepare's parts.
  std::string set_tests(TaskRun& t);
  static Status apply_test_patch(git::Repository& repo, const BatchTask& task, const std::string& run_id);
  Result<std::string> write_test_list(const BatchTask& task);
  void share_costs(RunConfig& rc) const;
  void record(const BatchTask& task, TaskResult& r);

  const BatchConfig& cfg_;
  Workspace& ws_;
  JsonlAppender& preds_;
  JsonlAppender& meta_;
  BatchProgress& progress_;
  std::shared_ptr<llm::CostTracker> costs_;
  const std::atomic<bool>* interrupted_;
};

}  // namespace ds::agent
