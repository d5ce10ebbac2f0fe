// `diffsmith sandbox`: the repository → the probe → one sandboxed command,
// with the environment scrubbed exactly as for the model's commands.
#include "agent/cli/sandbox.hpp"

#include <ostream>

#include "agent/exit_code.hpp"
#include "exec/program.hpp"
#include "exec/sandbox.hpp"
#include "git/repository.hpp"

namespace ds::agent {
namespace {
constexpr const char* kCmd = "sandbox";
}  // namespace

int run_sandbox_command(const SandboxCommandOptions& o, std::ostream& out, std::ostream& err) {
  if (o.command.empty())
    return fail(err, kCmd, "no command given: diffsmith sandbox -- CMD [ARGS...]", ExitCode::Usage);
  auto repo = git::Repository::open(o.dir);
  if (!repo.ok()) return fail(err, kCmd, repo.error().message, ExitCode::Repository);
  exec::SystemRunner system;
  exec::SandboxConfig cfg;
  cfg.work_tree = repo->root();
  cfg.network = o.network;
  exec::SandboxProbe probe = exec::probe_sandbox(cfg, system);
  if (!probe.ok) return fail(err, kCmd, "the sandbox does not work here: " + probe.problem, ExitCode::Usage);
  exec::SandboxRunner sandbox(cfg, probe, system);

  exec::RunRequest req;
  if (o.command.size() == 1) {
    req.command = o.command[0];
  } else {
    for (const auto& word : o.command)
      req.command += (req.command.empty() ? "" : " ") + exec::shell_quote(word);
  }
  req.cwd = repo->root();
  req.timeout = std::chrono::seconds(o.timeout_s > 0 ? o.timeout_s : 120);
  req.scrub = exec::secret_env_patterns();
  req.set["PYTHONDONTWRITEBYTECODE"] = "1";
  auto r = sandbox.run(req);
  if (!r.ok()) return fail(err, kCmd, r.error().message, ExitCode::Usage);
  out << r->output << std::flush;
  if (r->truncated)
    err << "diffsmith sandbox: output cut to its first and last bytes (" << r->output_bytes
        << " bytes in all)\n";
  // The command's own exit code; 124 (timeout(1)'s) when it was killed at the timeout.
  if (r->timed_out)
    return fail(err, kCmd, "killed at the timeout (" + std::to_string(o.timeout_s) + " s)",
                ExitCode::TimedOut);
  return r->exit_code < 0 ? to_int(ExitCode::NotSolved) : r->exit_code;
}

}  // namespace ds::agent
