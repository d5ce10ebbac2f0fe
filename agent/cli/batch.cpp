// `diffsmith batch`: settings → tasks (checked, sharded) → resume → model
// clients → worker pool → summary and report → exit code. Reads top to
// bottom in that order.
#include "agent/cli/batch.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>
#include <thread>

#include "agent/batch/config.hpp"
#include "agent/batch/output.hpp"
#include "agent/batch/progress.hpp"
#include "agent/batch/report.hpp"
#include "agent/batch/runner.hpp"
#include "agent/batch/tasks.hpp"
#include "agent/batch/workspace.hpp"
#include "agent/exit_code.hpp"
#include "agent/interrupt.hpp"
#include "llm/client_factory.hpp"
#include "llm/errors.hpp"

namespace ds::agent {
namespace fs = std::filesystem;

int run_batch_command(BatchCommandArgs& a, std::ostream& out, std::ostream& err) {
  const char* kWho = "diffsmith batch: ";
  // 1. Settings: flags > env > the user's config file (a batch spans many
  //    repositories, so no repository's .diffsmith.toml applies).
  if (Status st = load_config_files(a.settings, "", batch_setting_keys()); !st.ok()) {
    err << kWho << st.error().message << "\n";
    return 2;
  }
  auto cfg = build_batch_config(a.settings, a.tasks_file);
  if (!cfg.ok()) {
    err << kWho << cfg.error().message << "\n";
    return 2;
  }
  for (const auto& note : cfg->notes) err << kWho << "note: " << note << "\n";

  // 2. Tasks: read them, report bad entries, keep this shard's.
  auto file = load_tasks(cfg->tasks_path);
  if (!file.ok()) {
    err << kWho << file.error().message << "\n";
    return 2;
  }
  std::vector<BatchTask> valid, selected;
  for (auto& t : file->tasks) {
    if (test_command_for(t, cfg->test_cmd, {}).empty())
      file->bad.push_back(
          {t.where, t.id, "no test command: add \"test_cmd\" to the task or pass --test-cmd \"...\""});
    else
      valid.push_back(std::move(t));
  }
  for (const auto& t : valid)
    if (in_shard(t.id, cfg->shard)) selected.push_back(t);
  for (const auto& b : file->bad)
    err << kWho << cfg->tasks_path << ", " << b.where << (b.id.empty() ? "" : " (" + b.id + ")") << ": "
        << b.message << "; skipped\n";
  if (valid.empty() && file->bad.empty()) {
    err << kWho << cfg->tasks_path << " holds no tasks\n";
    return 2;
  }

  // 3. Resume: tasks already in --out are done, unless --redo.
  std::error_code ec;
  if (auto dir = fs::path(cfg->out_path).parent_path(); !dir.empty()) fs::create_directories(dir, ec);
  std::set<std::string> selected_ids;
  for (const auto& t : selected) selected_ids.insert(t.id);
  if (cfg->redo) {
    auto removed = remove_ids(cfg->out_path, selected_ids);
    if (!removed.ok()) {
      err << kWho << removed.error().message << "\n";
      return 2;
    }
  }
  auto done = read_latest_by_id(cfg->out_path);
  if (!done.ok()) {
    err << kWho << done.error().message << "\n";
    return 2;
  }
  std::vector<BatchTask> todo;
  for (const auto& t : selected)
    if (!done->count(t.id)) todo.push_back(t);
  auto preds = JsonlAppender::open(cfg->out_path);
  if (!preds.ok()) {
    err << kWho << preds.error().message << "\n";
    return 2;
  }
  auto meta = JsonlAppender::open(cfg->meta_path);
  if (!meta.ok()) {
    err << kWho << meta.error().message << "\n";
    return 2;
  }
  if ((*preds)->dropped_bytes() > 0)
    err << kWho << "cut a partial last line (" << (*preds)->dropped_bytes() << " bytes) from "
        << cfg->out_path << "\n";
  fs::create_directories(cfg->work_dir + "/worktrees", ec);
  fs::create_directories(cfg->work_dir + "/trajs", ec);
  if (!fs::is_directory(cfg->work_dir + "/trajs")) {
    err << kWho << "cannot create --work-dir " << cfg->work_dir << "; check the path is writable\n";
    return 2;
  }
  size_t shard_total = selected.size();
  err << kWho << valid.size() << " task(s) in " << cfg->tasks_path;
  if (cfg->shard.count > 1)
    err << ", " << shard_total << " in shard " << cfg->shard.index << "/" << cfg->shard.count;
  err << ", " << (shard_total - todo.size()) << " already in " << cfg->out_path << ", " << todo.size()
      << " to run on "
      << std::min<size_t>(static_cast<size_t>(cfg->workers), std::max<size_t>(todo.size(), 1))
      << " worker(s)\n";

  // 4. Shared by all workers: Ctrl-C, the 429 pause, the cost budget.
  InterruptGuard interrupt;
  auto costs = std::make_shared<llm::CostTracker>(cfg->endpoint.prices);
  bool live = &err == &std::cerr && isatty(STDERR_FILENO) && !cfg->quiet;
  BatchProgress progress(err, live, cfg->quiet, todo.size(), [costs] { return costs->total_cost().usd; });
  cfg->endpoint.cancel = interrupt.flag();
  cfg->endpoint.gate = std::make_shared<llm::RateGate>();
  cfg->endpoint.on_retry = [&progress](const llm::RetryNotice& n) {
    char wait[32];
    std::snprintf(wait, sizeof wait, "%.1f s", static_cast<double>(n.delay.count()) / 1000.0);
    bool limited = n.reason.find("429") != std::string::npos;
    progress.note(std::string("model request failed (") + n.reason.substr(0, 160) + "); retrying in " + wait +
                  (limited ? " — every worker waits" : ""));
  };
  // One client per worker; a replay cassette is one shared, thread-safe client.
  // None when there is nothing to run (a summary-only run needs no API key).
  std::vector<std::unique_ptr<llm::Client>> owned;
  std::vector<llm::Client*> clients;
  size_t worker_count = std::min<size_t>(static_cast<size_t>(cfg->workers), todo.size());
  for (size_t w = 0; w < worker_count; ++w) {
    if (!cfg->endpoint.replay_path.empty() && !owned.empty()) {
      clients.push_back(owned.front().get());
      continue;
    }
    auto c = llm::make_client(cfg->endpoint);
    if (!c.ok()) {
      err << kWho << c.error().message << "\n";
      return to_int(exit_code_for(c.error()));
    }
    owned.push_back(std::move(*c));
    clients.push_back(owned.back().get());
  }

  // 5. The tasks.
  WorkspaceOptions wo;
  wo.repos_dir = cfg->repos_dir;
  wo.work_dir = cfg->work_dir;
  wo.tasks_dir = fs::path(cfg->tasks_path).parent_path().string();
  wo.cancel = interrupt.flag();
  Workspace workspace(wo);
  BatchRunner runner(*cfg, workspace, **preds, **meta, progress, costs, interrupt.flag());
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
  std::vector<TaskResult> results = runner.run(todo, clients);
  finished = true;
  if (ticker.joinable()) ticker.join();
  progress.finish();
  bool was_interrupted = interrupt.flag()->load();

  // 6. Summary of every selected task (this run's and earlier runs'), report.
  std::vector<std::string> ids;
  for (const auto& t : selected) ids.push_back(t.id);
  auto report = collect_report(ids, cfg->out_path, cfg->meta_path);
  if (!report.ok()) {
    err << kWho << report.error().message << "\n";
    return 1;
  }
  report->model_name = cfg->model_name;
  if (cfg->shard.count > 1)
    report->shard = std::to_string(cfg->shard.index) + "/" + std::to_string(cfg->shard.count);
  out << summary_text(*report);
  size_t not_started = 0;
  std::string why_not;
  for (const auto& r : results)
    if (r.status == "not started") ++not_started, why_not = r.reason;
  if (not_started > 0) out << not_started << " task(s) not started: " << why_not << "\n";
  if (!file->bad.empty())
    out << file->bad.size() << " bad task entr" << (file->bad.size() == 1 ? "y" : "ies")
        << " skipped (see above)\n";
  out << "predictions: " << cfg->out_path << " · meta: " << cfg->meta_path
      << " · trajectories: " << cfg->work_dir << "/trajs\n"
      << std::flush;
  if (!cfg->report_path.empty()) {
    if (Status st = write_report_html(cfg->report_path, *report); !st.ok())
      err << kWho << st.error().message << "\n";
    else
      err << kWho << "report written to " << cfg->report_path << "\n";
  }

  // 7. Exit code.
  if (was_interrupted) return 130;
  return report->totals().predictions == ids.size() ? 0 : 1;
}

}  // namespace ds::agent
