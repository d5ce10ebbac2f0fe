// hidden_from_task / task_commands.
#include "agent/batch/task_sandbox.hpp"

namespace ds::agent {

std::vector<std::string> hidden_from_task(const BatchConfig& cfg, const std::string& source) {
  std::vector<std::string> out;
  for (const std::string* p : {&cfg.tasks_path, &cfg.out_path, &cfg.meta_path, &cfg.report_path,
                               &cfg.work_dir, &cfg.repos_dir, &source})
    if (!p->empty()) out.push_back(*p);
  return out;
}

Result<CommandSetup> task_commands(const BatchConfig& cfg, const std::string& dir, const std::string& source,
                                   bool has_tests, exec::ProcessRunner& inner) {
  // --oracle-tests hands the test ids over in testlists/ ({tests_file}).
  std::vector<std::string> readable;
  if (cfg.mode.oracle_tests) readable.push_back(cfg.work_dir + "/testlists");
  return setup_commands(cfg.settings, dir, has_tests, inner, hidden_from_task(cfg, source), readable);
}

}  // namespace ds::agent
