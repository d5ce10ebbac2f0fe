// The worker pool and one task's passes over its TaskRun: checkout at
// base_commit → prepare (the test command: standard mode given or detected;
// --oracle-tests: apply and checkpoint test_patch, fill in the test ids) →
// tools (trajectory, container or sandbox, syntax guard) → attempts (Session,
// or best of N) → outputs (the prediction, with --oracle-tests without
// test_patch's files, and whether it applies at base_commit); then run_task
// appends the lines and removes the checkout.
#include "agent/batch/runner.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <thread>

#include "agent/batch/shard.hpp"
#include "agent/batch/task_sandbox.hpp"
#include "agent/config/container_setup.hpp"
#include "agent/config/runners.hpp"
#include "agent/events.hpp"
#include "agent/launch.hpp"
#include "agent/run_id.hpp"
#include "agent/session.hpp"
#include "agent/sinks.hpp"
#include "exec/process.hpp"
#include "git/checkpoint.hpp"
#include "git/patch_apply.hpp"

namespace ds::agent {
namespace fs = std::filesystem;
namespace {

// A valid ref component whatever the id holds: time + hash of the id.
std::string run_id_for(const std::string& id) {
  char hash[20];
  std::snprintf(hash, sizeof hash, "%08llx", static_cast<unsigned long long>(stable_hash(id) & 0xffffffffu));
  return "batch-" + utc_now("%Y%m%d-%H%M%S") + "-" + hash;
}

json::Value meta_line(const TaskResult& r, const std::string& model, const BatchMode& mode) {
  json::Value d = json::Value::object();
  d.set("status", r.status).set("reason", r.reason).set("turns", r.turns);
  d.set("cost_usd", r.cost_usd ? json::Value(*r.cost_usd) : json::Value());
  d.set("duration_s", static_cast<double>(static_cast<int64_t>(r.duration_s * 1000)) / 1000.0);
  d.set("tokens", json::Value::object()
                      .set("prompt", r.usage.prompt_tokens)
                      .set("cached", r.usage.cached_tokens)
                      .set("completion", r.usage.completion_tokens));
  d.set("patch_bytes", r.patch.size());
  d.set("patch_applies", r.patch_applies ? json::Value(*r.patch_applies) : json::Value());
  d.set("in_predictions", r.written).set("model", model).set("trajectory", r.trajectory);
  // Oracle runs say so on every line: such a number is not a SWE-bench score.
  d.set("oracle_tests", mode.oracle_tests).set("hints", mode.hints).set("test_source", r.test_source);
  if (!r.attempts.empty()) {  // --attempts N
    json::Value attempts = json::Value::array();
    for (const auto& a : r.attempts) {
      json::Value fails = json::Value::array();
      for (int f : a.fails_reproduction_of) fails.push(f);
      attempts.push(json::Value::object()
                        .set("attempt", a.attempt)
                        .set("status", a.status)
                        .set("variation", a.variation)
                        .set("winner", a.winner)
                        .set("fails_reproduction_of", std::move(fails))
                        .set("patch_bytes", a.patch_bytes)
                        .set("why", a.why));
    }
    d.set("attempts", std::move(attempts)).set("selection", r.selection);
  }
  d.set("finished_at", utc_now("%Y-%m-%dT%H:%M:%SZ"));
  json::Value v = json::Value::object();
  v.set("instance_id", r.id).set("diffsmith", std::move(d));
  return v;
}

}  // namespace

bool writes_prediction(const std::string& status) {
  return status == "solved" || status == "done" || status == "unverified" || status == "unsolved" ||
         status == "no_change";
}

BatchRunner::BatchRunner(const BatchConfig& cfg, Workspace& ws, JsonlAppender& preds, JsonlAppender& meta,
                         BatchProgress& progress, std::shared_ptr<llm::CostTracker> costs,
                         const std::atomic<bool>* interrupted)
    : cfg_(cfg),
      ws_(ws),
      preds_(preds),
      meta_(meta),
      progress_(progress),
      costs_(std::move(costs)),
      interrupted_(interrupted) {}

std::string BatchRunner::stop_reason() const {
  if (interrupted_ && interrupted_->load()) return "interrupted before it started";
  if (cfg_.max_cost_total > 0) {
    auto spent = costs_->total_cost().usd;
    if (spent && *spent >= cfg_.max_cost_total)
      return "--max-cost-total " + llm::format_usd(cfg_.max_cost_total) + " reached before it started";
  }
  return "";
}

std::vector<TaskResult> BatchRunner::run(const std::vector<BatchTask>& tasks,
                                         const std::vector<llm::Client*>& clients) {
  std::vector<TaskResult> results(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) results[i].id = tasks[i].id;
  std::atomic<size_t> next{0};
  auto worker = [&](llm::Client* client) {
    for (;;) {
      if (!stop_reason().empty()) return;
      size_t i = next.fetch_add(1);
      if (i >= tasks.size()) return;
      progress_.task_started(tasks[i].id);
      results[i] = run_task(tasks[i], *client);
      progress_.task_finished(results[i]);
    }
  };
  std::vector<std::thread> threads;
  size_t n = std::min(clients.size(), tasks.size());
  for (size_t w = 0; w < n; ++w) threads.emplace_back(worker, clients[w]);
  for (auto& t : threads) t.join();
  std::string why = stop_reason();
  for (auto& r : results)
    if (r.status == "not started") r.reason = why.empty() ? "not started" : why;
  return results;
}

// One task on its way through the passes: the task and its result, and
// what each pass leaves for the next. Declared so that what refers to
// something is destroyed before it (the checkout last).
struct TaskRun {
  TaskRun(const BatchTask& t, llm::Client& c, TaskResult& r, std::string d)
      : task(t), client(c), result(r), dir(std::move(d)) {}
  const BatchTask& task;
  llm::Client& client;
  TaskResult& result;
  std::string dir;                             // the task's checkout folder
  std::optional<git::Repository> repo;         // checkout: the checkout at base_commit
  std::vector<std::string> test_files;         // prepare: test_patch's files (--oracle-tests)
  std::unique_ptr<TrajectorySink> trajectory;  // tools: --work-dir/trajs/<id>.jsonl
  FanoutSink events;                           // tools: the trajectory, when it could be opened
  exec::SystemRunner runner;                   // tools: the syntax guard's, and the sandbox's inner runner
  RunRunners runners;  // tools: the container or sandbox, where the tests run (config/runners.hpp)
  RunConfig rc;        // prepare, tools: the run's configuration
  std::optional<RunOutcome> outcome;  // attempts: the loop's outcome
};

TaskResult BatchRunner::run_task(const BatchTask& task, llm::Client& client) {
  auto t0 = std::chrono::steady_clock::now();
  TaskResult r;
  r.id = task.id;
  r.status = "error";
  const std::string dir = cfg_.work_dir + "/worktrees/" + safe_name(task.id);
  r.trajectory = cfg_.work_dir + "/trajs/" + safe_name(task.id) + ".jsonl";
  {
    TaskRun t(task, client, r, dir);  // closed (its repository too) before the checkout goes
    r.reason = solve(t);
  }
  // Ctrl-C during the checkout or test_patch step fails that step: call it what it is.
  if (r.status == "error" && interrupted_ && interrupted_->load()) r.status = "interrupted";
  r.duration_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  record(task, r);
  std::error_code ec;
  if (!cfg_.keep_worktrees) fs::remove_all(dir, ec);
  return r;
}

// The passes in order; returns why the task ended.
std::string BatchRunner::solve(TaskRun& t) {
  using Pass = std::string (BatchRunner::*)(TaskRun&);
  for (Pass pass : {&BatchRunner::checkout, &BatchRunner::prepare, &BatchRunner::tools,
                    &BatchRunner::attempts, &BatchRunner::outputs})
    if (std::string why = (this->*pass)(t); !why.empty()) return why;
  return "";
}

// The task's private checkout at base_commit (workspace.hpp).
std::string BatchRunner::checkout(TaskRun& t) {
  auto repo = ws_.checkout(t.task, t.dir);
  if (!repo) return "checkout: " + repo.error().message;
  t.repo.emplace(std::move(*repo));
  return "";
}

// The run's configuration: its id, the model's task text, the tests, the shared costs.
std::string BatchRunner::prepare(TaskRun& t) {
  t.rc = cfg_.run;
  t.rc.run_id = run_id_for(t.task.id);
  t.rc.task = model_task_text(t.task, cfg_.mode.hints);
  if (std::string failed = set_tests(t); !failed.empty()) return failed;
  t.result.test_source = t.rc.test_source;
  share_costs(t.rc);
  return "";
}

// The task's test command. Standard mode: the given or detected one, or
// none; nothing of test_patch or the test ids. --oracle-tests: test_patch
// applied and checkpointed, the ids in the placeholders. Returns "" or why
// the task cannot run.
std::string BatchRunner::set_tests(TaskRun& t) {
  const BatchTask& task = t.task;
  RunConfig& rc = t.rc;
  if (!cfg_.mode.oracle_tests) {
    TaskTests tests = standard_test_command(task, cfg_.test_cmd, t.dir);
    rc.test_cmd = tests.command;
    rc.test_source = tests.source;
    // No hidden test checks a standard SWE-bench task: the session must prove
    // the fix itself (reproduce, fix, verify) once it supports that.
    rc.reproduce = task.swe_bench;
    rc.hidden_tests = task.swe_bench;  // the system prompt says so
    return "";
  }
  auto files = git::patch_paths(task.test_patch);
  if (!files) return "test_patch: " + files.error().message;
  t.test_files = std::move(*files);
  if (Status st = apply_test_patch(*t.repo, task, rc.run_id); !st.ok()) return st.error().message;
  auto tests_file = write_test_list(task);
  if (!tests_file) return tests_file.error().message;
  rc.test_cmd = test_command_for(task, cfg_.test_cmd, t.test_files, *tests_file);
  rc.test_source =
      std::string(task.test_cmd.empty() ? "--test-cmd" : "the task's test_cmd") + ", --oracle-tests";
  return "";
}

// The tests that judge the task, applied and checkpointed before the run, so
// the run's diff (start..end checkpoints) holds only the model's change.
Status BatchRunner::apply_test_patch(git::Repository& repo, const BatchTask& task,
                                     const std::string& run_id) {
  if (task.test_patch.empty()) return Ok{};
  if (Status st = git::apply_patch_text(repo, task.test_patch, true); !st.ok())
    return make_error("test_patch does not apply at base_commit: " + st.error().message);
  auto c = git::checkpoint(repo, "refs/diffsmith/" + run_id, "diffsmith batch: test_patch of " + task.id);
  if (!c) return make_error("checkpoint after test_patch: " + c.error().message);
  return Ok{};
}

// The test ids one per line, outside the checkout (so never part of a diff).
Result<std::string> BatchRunner::write_test_list(const BatchTask& task) {
  std::string tests_file = cfg_.work_dir + "/testlists/" + safe_name(task.id) + ".txt";
  std::error_code mk;
  fs::create_directories(cfg_.work_dir + "/testlists", mk);
  std::ofstream list(tests_file, std::ios::binary | std::ios::trunc);
  for (const auto* ids : {&task.fail_to_pass, &task.pass_to_pass})
    for (const auto& id : *ids) list << id << '\n';
  if (!list.flush()) return make_error("cannot write the test id list " + tests_file);
  return tests_file;
}

// Every turn counts against the shared total; a task may not spend more than
// what is left of it.
void BatchRunner::share_costs(RunConfig& rc) const {
  auto costs = costs_;
  rc.cost_of = [costs](const std::string& model, const llm::Usage& u) {
    return costs->add(model, u).usd.value_or(-1.0);
  };
  if (cfg_.max_cost_total > 0) {
    double left = cfg_.max_cost_total - costs_->total_cost().usd.value_or(0);
    rc.max_cost = rc.max_cost > 0 ? std::min(rc.max_cost, left) : left;
  }
}

// The trajectory (events go there only), then where tests and commands run:
// the task's container, else the sandbox as in `run` with the batch's own
// files hidden (task_sandbox.hpp); then the syntax guard.
std::string BatchRunner::tools(TaskRun& t) {
  const BatchTask& task = t.task;
  const std::string& path = t.result.trajectory;
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  fs::remove(path, ec);
  t.trajectory = std::make_unique<TrajectorySink>(path);
  if (t.trajectory->ok()) t.events.add(t.trajectory.get());
  t.events.event(ev::BatchTask{task.id, task.repo, task.base_commit, t.dir, t.rc.test_cmd, t.test_files,
                               t.rc.test_source, cfg_.mode.oracle_tests, cfg_.mode.hints});
  auto runners = start_runners(
      t.rc, *t.repo, {task.id, task.repo, task.version}, t.runner, false, [&]() -> Result<CommandSetup> {
        auto source = ws_.source_for(task);
        if (!source) return source.error();
        return task_commands(cfg_, t.dir, *source, !t.rc.test_cmd.empty() || t.rc.reproduce, t.runner);
      });
  if (!runners) return runners.error().message;
  t.runners = std::move(*runners);
  if (!t.runners.notice.empty()) t.events.event(ev::Notice{t.runners.notice});
  return "";
}

// The loop, as `diffsmith run` runs it (best of N with --attempts: the
// worker's one client, so one attempt after another).
std::string BatchRunner::attempts(TaskRun& t) {
  t.outcome =
      run_loop(t.rc, *t.repo, AttemptTools{&t.client, nullptr, t.runners.tests, &t.events, interrupted_});
  return "";
}

// The prediction: the run's diff minus any file test_patch touches (the
// harness resets those files and applies test_patch itself), and whether it
// applies at base_commit. Returns why the run ended.
std::string BatchRunner::outputs(TaskRun& t) {
  RunOutcome& outcome = *t.outcome;
  TaskResult& r = t.result;
  r.status = status_name(outcome.status);
  // A change no test checked is not a solved task: the batch must not count
  // it as one (standard mode with no given or detected test command).
  if (outcome.status == RunStatus::Done) {
    r.status = "unverified";
    outcome.reason += "; no test checked the change (unverified, not solved)";
  }
  r.turns = outcome.turns;
  r.attempts = outcome.attempts;
  r.selection = outcome.selection;
  r.usage = outcome.usage;
  r.cost_usd = outcome.cost_usd;
  r.patch = outcome.diff;
  if (!t.test_files.empty()) {
    auto cut = git::patch_without(outcome.diff, t.test_files);
    if (cut)
      r.patch = std::move(*cut);
    else
      outcome.reason += "; could not remove test_patch files from the diff: " + cut.error().message;
  }
  r.patch_applies = git::check_patch_applies(*t.repo, "HEAD", r.patch).ok();
  return outcome.reason;
}

void BatchRunner::record(const BatchTask& task, TaskResult& r) {
  if (writes_prediction(r.status)) {
    Status st = preds_.append(prediction_line(task.id, cfg_.model_name, r.patch));
    r.written = st.ok();
    if (!st.ok()) progress_.note("diffsmith batch: " + task.id + ": " + st.error().message);
  }
  if (Status st = meta_.append(meta_line(r, cfg_.run.model, cfg_.mode)); !st.ok())
    progress_.note("diffsmith batch: " + task.id + ": " + st.error().message);
}

}  // namespace ds::agent
