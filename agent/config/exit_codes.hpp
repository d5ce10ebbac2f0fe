// diffsmith's exit codes (DESIGN.md, "Exit codes of `diffsmith run`"; the
// other commands use the same numbers). Here, below the loop, so that a
// RunOutcome can start from one; agent/exit_code.hpp maps errors and
// statuses to them.
#pragma once

namespace ds::agent {

enum class ExitCode {
  Ok = 0,            // solved, or the command did what it was asked
  NotSolved = 1,     // not solved within the limits, or no change
  Usage = 2,         // usage or configuration error
  Model = 3,         // model/API error (auth, quota, unrecoverable)
  Repository = 4,    // not a repository, dirty tree, locked
  TimedOut = 124,    // `diffsmith sandbox`: the command was killed at its timeout (as timeout(1))
  Interrupted = 130  // Ctrl-C / SIGTERM
};

constexpr int to_int(ExitCode c) { return static_cast<int>(c); }

}  // namespace ds::agent
