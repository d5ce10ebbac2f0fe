// `diffsmith sandbox`: the repository → the probe → one sandboxed command,
// with the environment scrubbed exactly as for the model's commands.
#include "agent/cli/sandbox.hpp"

#include <ostream>

#include "exec/sandbox.hpp"
#include "git/repository.hpp"

namespace ds::agent {

int run_sandbox_command(const SandboxCommandOptions& o, std::ostream& out, std::ostream& err) {
  if (o.command.empty()) {
    err << "diffsmith sandbox: no command given: diffsmith sandbox -- CMD [ARGS...]\n";
    return 2;
  }
  auto repo = git::Repository::open(o.dir);
  if (!repo.ok()) {
    err << "diffsmith sandbox: " << repo.error().message << "\n";
    return 4;
  }
  exec::SystemRunner system;
  exec::SandboxConfig cfg;
  cfg.work_tree = repo->root();
  cfg.network = o.network;
  exec::SandboxProbe probe = exec::probe_sandbox(cfg, system);
  if (!probe.ok) {
    err << "diffsmith sandbox: the sandbox does not work here: " << probe.problem << "\n";
    return 2;
  }
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
  if (!r.ok()) {
    err << "diffsmith sandbox: " << r.error().message << "\n";
    return 2;
  }
  out << r->output << std::flush;
  if (r->truncated)
    err << "diffsmith sandbox: output cut to its first and last bytes (" << r->output_bytes
        << " bytes in all)\n";
  if (r->timed_out) {
    err << "diffsmith sandbox: killed at the timeout (" << o.timeout_s << " s)\n";
    return 124;
  }
  return r->exit_code < 0 ? 1 : r->exit_code;
}

}  // namespace ds::agent
