#include "agent/config/runners.hpp"

#include "agent/config/lint_setup.hpp"

namespace ds::agent {

Result<RunRunners> start_runners(RunConfig& cfg, git::Repository& repo, const ContainerTask& task,
                                 exec::ProcessRunner& system, bool container_commands,
                                 const std::function<Result<CommandSetup>()>& commands) {
  RunRunners r;
  r.tests = &system;
  auto container = start_task_container(cfg, repo, task, system);
  if (!container.ok()) return container.error();
  exec::ProcessRunner* guard_runner = &system;
  if (*container) {
    r.container = std::move(*container);
    r.tests = r.container.get();
    if (container_commands)  // not owned: the container outlives the session
      cfg.command_runner = std::shared_ptr<exec::ProcessRunner>(std::shared_ptr<void>(), r.container.get());
  } else {
    auto setup = commands();
    if (!setup.ok()) return setup.error();
    r.notice = setup->notice;
    cfg.command_runner = setup->commands;
    cfg.command_timeout_s = setup->timeout_s;
    r.sandboxed_tests = setup->tests;
    if (r.sandboxed_tests) r.tests = r.sandboxed_tests.get();
    guard_runner = r.tests;
  }
  auto guard = make_syntax_guard(cfg.lint, repo, *guard_runner);
  if (!guard.ok()) return guard.error();
  cfg.syntax_guard = std::move(*guard);
  return r;
}

}  // namespace ds::agent
