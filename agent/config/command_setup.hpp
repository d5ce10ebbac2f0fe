// Where the model's commands run, decided once at the start of a run from
// --sandbox / --sandbox-network / --no-commands / --[no-]sandbox-tests: the
// bwrap sandbox when its probe passes, nothing (with a notice saying why and
// how to fix it) when it does not, and the plain runner only under the
// user's explicit --sandbox off. The test command runs in the same sandbox
// by default; when that cannot be set up the run stops before its first
// request. Never a silent unsandboxed fallback.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "agent/config/settings.hpp"
#include "base/result.hpp"
#include "exec/process.hpp"

namespace ds::agent {

struct CommandSetup {
  std::shared_ptr<exec::ProcessRunner> commands;  // run_command's runner; null: the tool is not offered
  std::shared_ptr<exec::ProcessRunner> tests;  // the sandbox for the tests (the default); null: unsandboxed
  bool sandboxed = false;                      // commands go through bwrap
  int timeout_s = 120;                         // --command-timeout
  std::string notice;                          // for the user, or ""
};

// `inner` (the SystemRunner) must outlive the result. `has_tests`: the run
// has a test command, which then runs in the sandbox unless
// --no-sandbox-tests (or --sandbox off) says otherwise. Errors (exit code
// 2): a bad --sandbox value, sandbox settings the repository's
// .diffsmith.toml may not make (off, network, no sandboxed tests), tests to
// sandbox without a working sandbox.
// `hide`, `readable`: paths the sandbox covers up besides the usual, and
// paths it shows read-only again (SandboxConfig). `probe_cache`: the file
// that remembers the probe's success between runs (sandbox_probe_cache.hpp);
// "" probes every time.
Result<CommandSetup> setup_commands(const Settings& s, const std::string& work_tree, bool has_tests,
                                    exec::ProcessRunner& inner, const std::vector<std::string>& hide = {},
                                    const std::vector<std::string>& readable = {},
                                    const std::string& probe_cache = "");

}  // namespace ds::agent
