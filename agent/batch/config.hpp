// Everything one `diffsmith batch` run needs, resolved from the layered
// settings: the batch options, the per-task RunConfig (the same `run`
// options: model, edit format, budgets, ...) and the model endpoint.
#pragma once

#include <string>
#include <vector>

#include "agent/batch/mode.hpp"
#include "agent/batch/shard.hpp"
#include "agent/config/run_config.hpp"
#include "agent/config/settings.hpp"
#include "base/result.hpp"
#include "llm/config.hpp"

namespace ds::agent {

struct BatchConfig {
  std::string tasks_path;
  std::string out_path, meta_path;  // preds.jsonl, preds.meta.jsonl
  int workers = 1;
  Shard shard;
  std::string repos_dir;
  std::string work_dir;        // default: diffsmith-work beside --out
  std::string test_cmd;        // template; {tests} / {test_files} … only with --oracle-tests
  std::string test_cmd_where;  // where it was set: "--test-cmd", "env DIFFSMITH_TEST" …
  BatchMode mode;              // standard (default) or --oracle-tests / --hints
  double max_cost_total = 0;   // USD for all tasks; 0 = no limit
  bool redo = false;
  bool keep_worktrees = false;
  bool quiet = false;       // no line per finished task
  std::string model_name;   // model_name_or_path; default "diffsmith-<model>"
  std::string report_path;  // HTML report; "" = none
  RunConfig run;            // per-task settings; task, test_cmd and run_id are set per task
  llm::EndpointConfig endpoint;
  std::vector<std::string> notes;  // settings given but ignored by batch, for the user
  Settings settings;               // as resolved: each task's sandbox is set up from them
};

// Every setting key batch takes (batch + run + endpoint).
std::vector<std::string> batch_setting_keys();

// Resolves the configuration; errors are usage errors (exit 2).
Result<BatchConfig> build_batch_config(const Settings& s, const std::string& tasks_path);

}  // namespace ds::agent
