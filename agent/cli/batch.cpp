// `diffsmith batch`: a list of passes, read top to bottom: settings → tasks
// (checked, sharded) → resume → model clients → worker pool → summary and
// report → exit code.
#include "agent/cli/batch.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>
#include <thread>

#include "agent/batch/config.hpp"
#include "agent/batch/mode.hpp"
#include "agent/batch/output.hpp"
#include "agent/batch/progress.hpp"
#include "agent/batch/report.hpp"
#include "agent/batch/runner.hpp"
#include "agent/batch/tasks.hpp"
#include "agent/batch/workspace.hpp"
#include "agent/exit_code.hpp"
#include "agent/interrupt.hpp"
#include "git/repository.hpp"
#include "llm/client_factory.hpp"
#include "llm/errors.hpp"
#include "text/duration.hpp"

namespace ds::agent {
namespace fs = std::filesystem;
namespace {

constexpr const char* kCmd = "batch";

// Settings: flags > env > the repository's .diffsmith.toml (of -C, by default
// the current directory's, when it is one) > the user's config file.
Result<BatchConfig> resolve_settings(BatchCommandArgs& a, std::ostream& err) {
  std::string root;
  if (auto repo = git::Repository::open(a.dir); repo.ok()) root = repo->root();
  if (Status st = load_config_files(a.settings, root, batch_setting_keys()); !st.ok()) return st.error();
  auto cfg = build_batch_config(a.settings, a.tasks_file);
  if (cfg.ok())
    for (const auto& note : cfg->notes) err << "diffsmith batch: note: " << note << "\n";
  return cfg;
}

struct Selection {
  TaskFile file;                    // its bad entries are reported
  std::vector<BatchTask> valid;     // every task that can run
  std::vector<BatchTask> selected;  // this shard's
};

// Tasks: read them, report bad entries, keep this shard's.
Result<Selection> select_tasks(const BatchConfig& cfg, std::ostream& err) {
  auto file = load_tasks(cfg.tasks_path);
  if (!file.ok()) return file.error();
  Selection s{std::move(*file), {}, {}};
  size_t carrying = 0;
  for (auto& t : s.file.tasks) {
    if (Status st = check_test_placeholders(
            t.test_cmd, cfg.tasks_path + ", " + t.where + " (" + t.id + "): test_cmd", cfg.mode);
        !st.ok())
      return st.error();
    carrying +=
        !t.test_patch.empty() || !t.fail_to_pass.empty() || !t.pass_to_pass.empty() || !t.hints.empty();
    // Standard SWE-bench tasks may run with a detected test command or none;
    // other tasks (and oracle runs) need one.
    bool needs_cmd = cfg.mode.oracle_tests || !t.swe_bench;
    std::string cmd =
        cfg.mode.oracle_tests ? test_command_for(t, cfg.test_cmd, {}) : given_test_command(t, cfg.test_cmd);
    if (needs_cmd && cmd.empty())
      s.file.bad.push_back(
          {t.where, t.id, "no test command: add \"test_cmd\" to the task or pass --test-cmd \"...\""});
    else
      s.valid.push_back(std::move(t));
  }
  if (carrying > 0 && !cfg.mode.oracle_tests)
    err << "diffsmith batch: standard mode: " << carrying
        << " task(s) carry test_patch, FAIL_TO_PASS, PASS_TO_PASS or hints_text; the model gets "
        << (cfg.mode.hints ? "only the hints of them" : "none of them") << " (docs/swe-bench.md)\n";
  for (const auto& t : s.valid)
    if (in_shard(t.id, cfg.shard)) s.selected.push_back(t);
  for (const auto& b : s.file.bad)
    err << "diffsmith batch: " << cfg.tasks_path << ", " << b.where << (b.id.empty() ? "" : " (" + b.id + ")")
        << ": " << b.message << "; skipped\n";
  if (s.valid.empty() && s.file.bad.empty()) return make_error(cfg.tasks_path + " holds no tasks");
  return s;
}

struct Outputs {
  std::vector<BatchTask> todo;  // selected and not yet in --out
  std::unique_ptr<JsonlAppender> preds, meta;
};

// Resume: tasks already in --out are done, unless --redo. Opens the output
// files and makes the work folders.
Result<Outputs> open_outputs(const BatchConfig& cfg, const std::vector<BatchTask>& selected,
                             std::ostream& err) {
  std::error_code ec;
  if (auto dir = fs::path(cfg.out_path).parent_path(); !dir.empty()) fs::create_directories(dir, ec);
  std::set<std::string> selected_ids;
  for (const auto& t : selected) selected_ids.insert(t.id);
  if (cfg.redo)
    if (auto removed = remove_ids(cfg.out_path, selected_ids); !removed.ok()) return removed.error();
  auto done = read_latest_by_id(cfg.out_path);
  if (!done.ok()) return done.error();
  Outputs o;
  for (const auto& t : selected)
    if (!done->count(t.id)) o.todo.push_back(t);
  auto preds = JsonlAppender::open(cfg.out_path);
  if (!preds.ok()) return preds.error();
  auto meta = JsonlAppender::open(cfg.meta_path);
  if (!meta.ok()) return meta.error();
  o.preds = std::move(*preds);
  o.meta = std::move(*meta);
  if (o.preds->dropped_bytes() > 0)
    err << "diffsmith batch: cut a partial last line (" << o.preds->dropped_bytes() << " bytes) from "
        << cfg.out_path << "\n";
  fs::create_directories(cfg.work_dir + "/worktrees", ec);
  fs::create_directories(cfg.work_dir + "/trajs", ec);
  if (!fs::is_directory(cfg.work_dir + "/trajs"))
    return make_error("cannot create --work-dir " + cfg.work_dir + "; check the path is writable");
  return o;
}

size_t worker_count(const BatchConfig& cfg, size_t todo) {
  return std::min<size_t>(static_cast<size_t>(cfg.workers), todo);
}

void print_plan(const BatchConfig& cfg, const Selection& s, size_t todo, std::ostream& err) {
  size_t shard_total = s.selected.size();
  err << "diffsmith batch: " << s.valid.size() << " task(s) in " << cfg.tasks_path;
  if (cfg.shard.count > 1)
    err << ", " << shard_total << " in shard " << cfg.shard.index << "/" << cfg.shard.count;
  err << ", " << (shard_total - todo) << " already in " << cfg.out_path << ", " << todo << " to run on "
      << std::min<size_t>(static_cast<size_t>(cfg.workers), std::max<size_t>(todo, 1)) << " worker(s)\n";
}

// Shared by all workers: Ctrl-C, the 429 pause, retry notes on the progress.
void share_endpoint(BatchConfig& cfg, const InterruptGuard& interrupt, BatchProgress& progress) {
  cfg.endpoint.cancel = interrupt.flag();
  cfg.endpoint.gate = std::make_shared<llm::RateGate>();
  cfg.endpoint.on_retry = [&progress](const llm::RetryNotice& n) {
    std::string wait = text::seconds_text(n.delay);
    bool limited = n.reason.find("429") != std::string::npos;
    progress.note(std::string("model request failed (") + n.reason.substr(0, 160) + "); retrying in " + wait +
                  (limited ? " — every worker waits" : ""));
  };
}

struct Clients {
  std::vector<std::unique_ptr<llm::Client>> owned;
  std::vector<llm::Client*> per_worker;
};

// One client per worker; a replay cassette is one shared, thread-safe client.
// None when there is nothing to run (a summary-only run needs no API key).
Result<Clients> make_clients(const BatchConfig& cfg, size_t workers) {
  Clients c;
  for (size_t w = 0; w < workers; ++w) {
    if (!cfg.endpoint.replay_path.empty() && !c.owned.empty()) {
      c.per_worker.push_back(c.owned.front().get());
      continue;
    }
    auto client = llm::make_client(cfg.endpoint);
    if (!client.ok()) return client.error();
    c.owned.push_back(std::move(*client));
    c.per_worker.push_back(c.owned.back().get());
  }
  return c;
}

// The tasks on the worker pool, with the live line redrawn every second.
std::vector<TaskResult> run_tasks(const BatchConfig& cfg, Outputs& o, const Clients& clients,
                                  BatchProgress& progress, std::shared_ptr<llm::CostTracker> costs,
                                  const InterruptGuard& interrupt, bool live) {
  WorkspaceOptions wo;
  wo.repos_dir = cfg.repos_dir;
  wo.work_dir = cfg.work_dir;
  wo.tasks_dir = fs::path(cfg.tasks_path).parent_path().string();
  wo.cancel = interrupt.flag();
  Workspace workspace(wo);
  BatchRunner runner(cfg, workspace, *o.preds, *o.meta, progress, std::move(costs), interrupt.flag());
  std::atomic<bool> finished{false};
  std::thread ticker;
  if (live)
    ticker = std::thread([&] {
      while (!finished.load()) {
        for (int i = 0; i < 10 && !finished.load(); ++i)
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        progress.tick();
      }
    });
  std::vector<TaskResult> results = runner.run(o.todo, clients.per_worker);
  finished = true;
  if (ticker.joinable()) ticker.join();
  progress.finish();
  return results;
}

// Summary of every selected task (this run's and earlier runs'), the report.
// Returns how many selected tasks have a prediction line.
Result<size_t> summarize(const BatchConfig& cfg, const Selection& s, const std::vector<TaskResult>& results,
                         std::ostream& out, std::ostream& err) {
  std::vector<std::string> ids;
  for (const auto& t : s.selected) ids.push_back(t.id);
  auto report = collect_report(ids, cfg.out_path, cfg.meta_path);
  if (!report.ok()) return report.error();
  report->model_name = cfg.model_name;
  if (cfg.shard.count > 1)
    report->shard = std::to_string(cfg.shard.index) + "/" + std::to_string(cfg.shard.count);
  out << summary_text(*report);
  size_t not_started = 0;
  std::string why_not;
  for (const auto& r : results)
    if (r.status == "not started") ++not_started, why_not = r.reason;
  if (not_started > 0) out << not_started << " task(s) not started: " << why_not << "\n";
  if (!s.file.bad.empty())
    out << s.file.bad.size() << " bad task entr" << (s.file.bad.size() == 1 ? "y" : "ies")
        << " skipped (see above)\n";
  out << "predictions: " << cfg.out_path << " · meta: " << cfg.meta_path
      << " · trajectories: " << cfg.work_dir << "/trajs\n"
      << std::flush;
  if (!cfg.report_path.empty()) {
    if (Status st = write_report_html(cfg.report_path, *report); !st.ok())
      err << "diffsmith batch: " << st.error().message << "\n";
    else
      err << "diffsmith batch: report written to " << cfg.report_path << "\n";
  }
  return report->totals().predictions;
}

}  // namespace

int run_batch_command(BatchCommandArgs& a, std::ostream& out, std::ostream& err) {
  auto cfg = resolve_settings(a, err);
  if (!cfg.ok()) return fail(err, kCmd, cfg.error().message, ExitCode::Usage);
  auto tasks = select_tasks(*cfg, err);
  if (!tasks.ok()) return fail(err, kCmd, tasks.error().message, ExitCode::Usage);
  auto outputs = open_outputs(*cfg, tasks->selected, err);
  if (!outputs.ok()) return fail(err, kCmd, outputs.error().message, ExitCode::Usage);
  print_plan(*cfg, *tasks, outputs->todo.size(), err);

  InterruptGuard interrupt;
  auto costs = std::make_shared<llm::CostTracker>(cfg->endpoint.prices);
  bool live = &err == &std::cerr && isatty(STDERR_FILENO) && !cfg->quiet;
  BatchProgress progress(err, live, cfg->quiet, outputs->todo.size(),
                         [costs] { return costs->total_cost().usd; });
  share_endpoint(*cfg, interrupt, progress);
  auto clients = make_clients(*cfg, worker_count(*cfg, outputs->todo.size()));
  if (!clients.ok()) return fail(err, kCmd, clients.error().message, exit_code_for(clients.error()));

  std::vector<TaskResult> results = run_tasks(*cfg, *outputs, *clients, progress, costs, interrupt, live);
  bool was_interrupted = interrupt.flag()->load();
  auto predictions = summarize(*cfg, *tasks, results, out, err);
  if (!predictions.ok()) return fail(err, kCmd, predictions.error().message, ExitCode::NotSolved);
  if (was_interrupted) return to_int(ExitCode::Interrupted);
  return to_int(*predictions == tasks->selected.size() ? ExitCode::Ok : ExitCode::NotSolved);
}

}  // namespace ds::agent
