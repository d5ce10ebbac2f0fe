// diffsmith's exit codes (DESIGN.md, "Exit codes of `diffsmith run`"; the
// other commands use the same numbers) and the one way a command reports a
// failure: `diffsmith CMD: message` on stderr, then the code.
#pragma once

#include <ostream>
#include <string_view>

namespace ds::agent {

enum class ExitCode {
  Ok = 0,            // solved, or the command did what it was asked
  NotSolved = 1,     // not solved within the limits, or no change
  Usage = 2,         // usage or configuration error
  Model = 3,         // model/API error (auth, quota, unrecoverable)
  Repository = 4,    // not a repository, dirty tree, locked
  Interrupted = 130  // Ctrl-C / SIGTERM
};

constexpr int to_int(ExitCode c) { return static_cast<int>(c); }

// Prints "diffsmith <command>: <message>\n" on `err` and returns `code` as
// the process's exit status. `command` is the subcommand ("run", "undo").
inline int fail(std::ostream& err, std::string_view command, std::string_view message, ExitCode code) {
  err << "diffsmith " << command << ": " << message << "\n";
  return to_int(code);
}

}  // namespace ds::agent
