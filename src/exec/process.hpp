// Running a command: `/bin/sh -c CMD` in its own process group, stdin from
// /dev/null, stdout+stderr merged and captured up to a cap, killed with its
// whole group at the timeout. ProcessRunner is the seam tests fake.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace ds::exec {

struct RunRequest {
  std::string command;                     // run as /bin/sh -c command
  std::string cwd;                         // working directory
  std::chrono::milliseconds timeout{600000};
  size_t output_cap = 4u << 20;            // bytes kept; the rest is counted, not kept
  // Environment: the parent's, minus variables matching any of `scrub`
  // (glob patterns such as "*_API_KEY"), except those named in `keep`.
  std::vector<std::string> scrub;
  std::vector<std::string> keep;
  std::map<std::string, std::string> set;  // extra variables
};

struct RunResult {
  int exit_code = -1;      // the command's exit status; 128+N when killed by signal N
  bool timed_out = false;  // killed at the timeout (exit_code is then -1)
  std::string output;      // merged stdout+stderr, head and tail kept within the cap
  size_t output_bytes = 0; // total bytes the command wrote
  bool truncated = false;  // output_bytes > output_cap
  std::chrono::milliseconds duration{0};
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Errors only when the command could not be started at all.
  virtual Result<RunResult> run(const RunRequest& req) = 0;
};

// The real runner (fork/exec, process group, poll loop).
class SystemRunner final : public ProcessRunner {
 public:
  Result<RunResult> run(const RunRequest& req) override;
};

}  // namespace ds::exec
