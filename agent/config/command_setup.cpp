// setup_commands: settings → probe (or its remembered success) → the runners and the notice.
#include "agent/config/command_setup.hpp"

#include <algorithm>

#include "exec/sandbox.hpp"
#include "exec/sandbox_probe_cache.hpp"

namespace ds::agent {
namespace {

// The repository's own config may narrow what commands can do, never widen
// it: a cloned repo must not turn the sandbox off or open the network.
Status check_not_from_repo(const Settings& s, const std::string& key) {
  auto v = s.get(key);
  const std::string suffix = "/.diffsmith.toml";
  if (v && v->source.size() >= suffix.size() &&
      v->source.compare(v->source.size() - suffix.size(), suffix.size(), suffix) == 0)
    return make_error(key + " cannot be set in the repository's config (" + v->source.substr(7) +
                      "): it would let the repository weaken the sandbox. Pass --" + key +
                      " on the command line or put it in ~/.config/diffsmith/config.toml.");
  return Ok{};
}

}  // namespace

Result<CommandSetup> setup_commands(const Settings& s, const std::string& work_tree, bool has_tests,
                                    exec::ProcessRunner& inner, const std::vector<std::string>& hide,
                                    const std::vector<std::string>& readable,
                                    const std::string& probe_cache) {
  std::string mode = s.str("sandbox", "bwrap");
  if (mode != "bwrap" && mode != "off")
    return make_error("--sandbox must be bwrap or off (got '" + mode + "')");
  auto network = s.boolean("sandbox-network", false);
  auto no_commands = s.boolean("no-commands", false);
  auto sandbox_tests = s.boolean("sandbox-tests", true);
  for (const auto* r : {&network, &no_commands, &sandbox_tests})
    if (!r->ok()) return r->error();
  auto timeout = s.integer("command-timeout", 120);
  if (!timeout.ok()) return timeout.error();
  if (*timeout < 1) return make_error("--command-timeout must be at least 1 second");
  if (mode == "off")
    if (Status st = check_not_from_repo(s, "sandbox"); !st.ok()) return st.error();
  if (*network)
    if (Status st = check_not_from_repo(s, "sandbox-network"); !st.ok()) return st.error();
  if (!*sandbox_tests)
    if (Status st = check_not_from_repo(s, "sandbox-tests"); !st.ok()) return st.error();
  // Tests run the model's code (a conftest.py it wrote): in the sandbox
  // unless the user opts out; --sandbox off takes them out with the commands.
  const bool chosen = s.get("sandbox-tests").has_value();
  const bool tests_in_sandbox = has_tests && *sandbox_tests && (mode != "off" || chosen);
  const std::string unsandboxed_tests =
      "the test command runs WITHOUT the sandbox (" +
      std::string(mode == "off" ? "--sandbox off" : "--no-sandbox-tests") +
      "): test files the model writes run with your rights and your network";

  CommandSetup out;
  out.timeout_s = static_cast<int>(std::min<int64_t>(*timeout, 24 * 3600));
  if (mode == "off") {
    if (tests_in_sandbox) return make_error("--sandbox-tests needs the sandbox, but --sandbox is off");
    if (has_tests) out.notice = unsandboxed_tests;
    if (*no_commands) return out;
    // Not owned: the caller's runner, used as is.
    out.commands = std::shared_ptr<exec::ProcessRunner>(std::shared_ptr<void>(), &inner);
    out.notice =
        "run_command runs the model's commands WITHOUT a sandbox (--sandbox off): they can write "
        "anywhere you can and reach the network" +
        std::string(has_tests ? ", and so does the test command" : "");
    return out;
  }
  if (has_tests && !tests_in_sandbox) out.notice = unsandboxed_tests;
  if (*no_commands && !tests_in_sandbox) return out;

  exec::SandboxConfig cfg;
  cfg.work_tree = work_tree;
  cfg.network = *network;
  cfg.hide = hide;
  cfg.readable = readable;
  exec::SandboxProbe probe = exec::probe_sandbox_cached(cfg, inner, probe_cache);
  auto add_notice = [&out](const std::string& line) {
    out.notice += (out.notice.empty() ? "" : "; ") + line;
  };
  if (!probe.ok) {
    if (tests_in_sandbox)
      return make_error(
          "the test command runs in the sandbox (--sandbox-tests, the default), but the sandbox "
          "does not work here: " +
          probe.problem +
          " Or pass --no-sandbox-tests to run the tests without it (test files the model writes "
          "then run with your rights).");
    add_notice("run_command is not offered: the sandbox does not work here: " + probe.problem +
               " Or pass --sandbox off to run the model's commands without a sandbox, or --no-commands.");
    return out;
  }
  auto sandbox = std::make_shared<exec::SandboxRunner>(cfg, probe, inner);
  if (tests_in_sandbox) out.tests = sandbox;
  if (!*no_commands) {
    out.commands = sandbox;
    out.sandboxed = true;
  }
  if (!probe.with_proc)
    add_notice(
        "the sandbox runs without its own /proc (the kernel refused to mount one); the host's /proc "
        "is hidden from commands");
  return out;
}

}  // namespace ds::agent
