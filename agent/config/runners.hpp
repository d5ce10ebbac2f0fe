// Where a run's tests, reproduction and the model's commands run, and its
// syntax guard: one set-up for `run` and for each `batch` task. The task's
// container (--container) when one is configured, else the bwrap sandbox as
// `commands` sets it up (setup_commands for `run`, task_commands for a batch
// task, which hides the batch's own files).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "agent/config/command_setup.hpp"
#include "agent/config/container_setup.hpp"
#include "agent/config/run_config.hpp"
#include "base/result.hpp"
#include "exec/process.hpp"

namespace ds::git {
class Repository;
}

namespace ds::agent {

struct RunRunners {
  exec::ProcessRunner* tests = nullptr;                  // the tests and reproductions; never null when ok
  std::unique_ptr<exec::ContainerRunner> container;      // --container
  std::shared_ptr<exec::ProcessRunner> sandboxed_tests;  // the sandbox, unless --no-sandbox-tests
  std::string notice;                                    // for the user, or ""
};

// Fills cfg.command_runner, cfg.command_timeout_s and cfg.syntax_guard.
// `system` must outlive the result. In a container, run_command runs there
// when `container_commands`, and the guard checks its copies with `system`
// (the container sees its own tree, not the copies); otherwise the guard's
// checks run where the tests do. `commands` is called only without a
// container. Errors are usage errors (exit 2).
Result<RunRunners> start_runners(RunConfig& cfg, git::Repository& repo, const ContainerTask& task,
                                 exec::ProcessRunner& system, bool container_commands,
                                 const std::function<Result<CommandSetup>()>& commands);

}  // namespace ds::agent
