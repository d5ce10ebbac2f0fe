// Settings → BatchConfig (batch options, the per-task RunConfig, the
// endpoint); the options themselves are in the settings table
// (agent/cli/options.cpp).
#include "agent/batch/config.hpp"

#include <algorithm>
#include <filesystem>

#include "agent/batch/output.hpp"
#include "agent/config/container_setup.hpp"
#include "agent/config/options.hpp"
#include "agent/config/run_settings.hpp"
#include "llm/generation.hpp"
#include "llm/pricing.hpp"

namespace ds::agent {

std::vector<std::string> batch_setting_keys() { return option_names(batch_command_options()); }

namespace {

// A run option given on the command line that batch does not use: say so
// (the settings table says why). In env and config files they are for `run`.
void note_ignored_flags(const Settings& s, std::vector<std::string>& notes) {
  for (const OptionSpec& o : run_options())
    if (o.not_in_batch && s.flags.count(o.name))
      notes.push_back(std::string("--") + o.name + " does not apply to batch and is ignored (" +
                      o.not_in_batch + ")");
}

// --oracle-tests / --hints, said aloud when on; in standard mode the test
// command template may not carry the hidden tests.
Status read_mode(const Settings& s, BatchConfig& b) {
  auto oracle = s.boolean("oracle-tests", false);
  if (!oracle.ok()) return oracle.error();
  auto hints = s.boolean("hints", false);
  if (!hints.ok()) return hints.error();
  b.mode.oracle_tests = *oracle;
  b.mode.hints = *hints;
  for (const auto& [key, on] :
       {std::pair{"oracle-tests", b.mode.oracle_tests}, std::pair{"hints", b.mode.hints}})
    if (auto v = s.get(key); v && on)
      b.notes.push_back(std::string("--") + key + " (" + v->where() +
                        "): an oracle run; its predictions are labelled so and are not a SWE-bench score");
  if (!b.test_cmd.empty())
    if (Status st = check_test_placeholders(b.test_cmd, b.test_cmd_where, b.mode); !st.ok())
      return st.error();
  return Ok{};
}

}  // namespace

Result<BatchConfig> build_batch_config(const Settings& s, const std::string& tasks_path) {
  namespace fs = std::filesystem;
  BatchConfig b;
  b.settings = s;
  if (tasks_path.empty()) return make_error("no tasks file: diffsmith batch TASKS.jsonl --out preds.jsonl");
  b.tasks_path = tasks_path;
  b.out_path = s.str("out");
  if (b.out_path.empty())
    return make_error("no --out file: pass --out preds.jsonl (predictions are appended to it)");
  if (fs::path(b.out_path).extension() == ".json")
    return make_error("--out " + b.out_path +
                      " must be a JSONL file (lines are appended as tasks finish); "
                      "use a .jsonl name — the SWE-bench harness reads JSONL");
  b.meta_path = meta_path_for(b.out_path);
  auto workers = s.integer("workers", 1);
  if (!workers.ok()) return workers.error();
  if (*workers < 1 || *workers > 256) return make_error("--workers must be between 1 and 256");
  b.workers = static_cast<int>(*workers);
  if (auto shard = s.get("shard"); shard && !shard->value.empty()) {
    auto parsed = parse_shard(shard->value);
    if (!parsed.ok()) return parsed.error();
    b.shard = *parsed;
  }
  b.repos_dir = s.str("repos-dir");
  if (!b.repos_dir.empty() && !fs::is_directory(b.repos_dir))
    return make_error("--repos-dir " + b.repos_dir + " is not a folder");
  fs::path out_dir = fs::path(b.out_path).parent_path();
  b.work_dir =
      s.str("work-dir", (out_dir.empty() ? fs::path("diffsmith-work") : out_dir / "diffsmith-work").string());
  std::error_code ec;
  if (auto abs = fs::absolute(b.work_dir, ec); !ec) b.work_dir = abs.lexically_normal().string();
  while (b.work_dir.size() > 1 && b.work_dir.back() == '/') b.work_dir.pop_back();
  b.test_cmd = s.str("test-cmd", s.str("test"));
  if (auto given = s.get("test-cmd") ? s.get("test-cmd") : s.get("test"); given && !given->value.empty())
    b.test_cmd_where = given->where();
  if (Status st = read_mode(s, b); !st.ok()) return st.error();
  auto total = s.number("max-cost-total", 0);
  if (!total.ok()) return total.error();
  if (*total < 0) return make_error("--max-cost-total must not be negative");
  b.max_cost_total = *total;
  auto redo = s.boolean("redo", false);
  auto keep = s.boolean("keep-worktrees", false);
  auto quiet = s.boolean("quiet", false);
  for (const auto* r : {&redo, &keep, &quiet})
    if (!r->ok()) return r->error();
  b.redo = *redo;
  b.keep_worktrees = *keep;
  b.quiet = *quiet;
  b.report_path = s.str("report");
  if (Status st = fill_run_config(s, b.run); !st.ok()) return st.error();
  b.run.test_setup = RunConfig::TestSetup::Trust;  // a task's tests are run as the task gives them
  if (Status st = fill_container_config(s, b.run); !st.ok()) return st.error();
  note_ignored_flags(s, b.notes);

  auto endpoint = llm::resolve_endpoint(endpoint_layers(s));
  if (!endpoint.ok()) return endpoint.error();
  b.endpoint = std::move(*endpoint);
  b.run.model = b.endpoint.model;
  for (const std::string& note : llm::generation_notices(b.run.model, b.run.generation))
    b.notes.push_back(note);
  b.model_name = s.str("model-name", "diffsmith-" + b.endpoint.model);
  if (b.max_cost_total > 0 && !llm::price_for(b.endpoint.model, b.endpoint.prices))
    return make_error("--max-cost-total needs token prices, and " + llm::cost_unknown_note(b.endpoint.model));
  return b;
}

}  // namespace ds::agent
