// Running a command: `/bin/sh -c CMD` in its own process group, stdin from
// /dev/null, stdout+stderr merged and captured up to a cap, killed with its
// whole group at the timeout. ProcessRunner is the seam tests fake.
// kill_running_children() stops every running command (for Ctrl-C).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace ds::exec {

// Glob patterns of environment variables that hold secrets (API keys,
// tokens, passwords, credentials, database URLs, DSNs, JWTs), for
// RunRequest::scrub. Names match case-insensitively.
const std::vector<std::string>& secret_env_patterns();

// `value` with the `user:password@` of every URL in it removed
// ("https://u:p@host/x" → "https://host/x").
std::string strip_url_credentials(std::string_view value);

struct RunRequest {
  std::string command;  // run as /bin/sh -c command
  std::string cwd;      // working directory
  std::chrono::milliseconds timeout{600000};
  size_t output_cap = 4u << 20;  // bytes kept; the rest is counted, not kept
  // Environment: the parent's, minus variables matching any of `scrub`
  // (glob patterns such as "*_API_KEY", case-insensitive), except those
  // matching `keep`; with a non-empty `scrub`, credentials in URL values are
  // removed as well (strip_url_credentials).
  std::vector<std::string> scrub;
  std::vector<std::string> keep;
  std::map<std::string, std::string> set;  // extra variables
  // Sandboxed runs: folders bound writable besides the work tree (a scratch
  // tree under the read-only .git); other runners ignore it.
  std::vector<std::string> writable;
};

// The environment of a request's command: the parent's minus the variables
// matching `scrub` (unless they match `keep`), URL credentials removed when
// scrubbing, plus `set` ("NAME=value" entries, built before any fork).
std::vector<std::string> child_environment(const RunRequest& req);

struct RunResult {
  int exit_code = -1;      // the command's exit status; 128+N when killed by signal N
  bool timed_out = false;  // killed at the timeout (exit_code is then -1)
  // Merged stdout+stderr. When truncated: the first half of the cap, a line
  // "[... N bytes cut by the output cap ...]", then the last half.
  std::string output;
  size_t output_bytes = 0;  // total bytes the command wrote
  bool truncated = false;   // output_bytes > output_cap
  std::chrono::milliseconds duration{0};
  bool interrupted = false;  // stopped by kill_running_children() (exit_code -1)
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Errors only when the command could not be started at all.
  virtual Result<RunResult> run(const RunRequest& req) = 0;
};

// The real runner (fork/exec under a per-run supervisor, poll loop). When
// the command exits, everything it started is killed: its process group and
// any descendant that left it (setsid, double fork), found because the
// supervisor is their subreaper. If this process dies, even by SIGKILL, the
// supervisor kills them too. docs/processes.md says exactly what holds.
class SystemRunner final : public ProcessRunner {
 public:
  Result<RunResult> run(const RunRequest& req) override;
};

// Sends SIGTERM to the process group of every command SystemRunner is running
// (in any thread) and makes those runs return with `interrupted` set, killing
// stragglers with SIGKILL after a short grace. Async-signal-safe: may be called
// from a SIGINT handler. Commands started after the call are not affected.
void kill_running_children();

}  // namespace ds::exec
