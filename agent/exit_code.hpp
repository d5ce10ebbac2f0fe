// diffsmith's exit codes (DESIGN.md, "Exit codes of `diffsmith run`"; the
// other commands use the same numbers), the code for a library's error, and
// the one way a command reports a failure: `diffsmith CMD: message` on
// stderr, then the code.
#pragma once

#include <ostream>
#include <string_view>

#include "agent/config/exit_codes.hpp"
#include "agent/config/run_config.hpp"
#include "base/result.hpp"
#include "text/terminal.hpp"

namespace ds::agent {

// The exit code for a failure reported by a library, by the error's kind:
// the model client's bad settings are Usage, its interruption Interrupted,
// any other of its failures Model; git's and the repo map's are Repository.
// An unclassified error is Model: only the model client's seam (replay and
// test clients included) hands such errors to the callers.
ExitCode exit_code_for(const Error& e);

// The exit code of a run that ended with `status`: solved or done 0;
// unsolved, no change or unverified 1; interrupted 130; an error
// `error_code` (the model's, a repository's, a usage error).
ExitCode exit_code_for(RunStatus status, ExitCode error_code = ExitCode::Model);

// Prints "diffsmith <command>: <message>\n" on `err` and returns `code` as
// the process's exit status. `command` is the subcommand ("run", "undo").
// Control characters in the message (a path or a reply quoted in it) are
// shown as escapes (text::terminal_safe).
inline int fail(std::ostream& err, std::string_view command, std::string_view message, ExitCode code) {
  err << "diffsmith " << command << ": " << text::terminal_safe(message) << "\n";
  return to_int(code);
}

}  // namespace ds::agent
