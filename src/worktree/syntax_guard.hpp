// The syntax guard: before an edit is written, each file it changes is
// checked with its language's own parser (Python's compile(), `node
// --check`, simdjson in-process for JSON, `bash -n`, `gofmt -e`, `ruby -c`,
// `php -l`, or a command the user configured for an extension). Only errors
// the edit introduces count: when the new content fails, the base content is
// checked too, and a file already broken there is not blamed. Checkers run
// through a ProcessRunner (the command sandbox when the tests use it) on a
// temporary copy with the same extension, under a time limit; a checker that
// is not installed is skipped.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "edit/plan.hpp"
#include "exec/process.hpp"

namespace ds::worktree {

struct SyntaxGuardConfig {
  // By extension without the dot ("py"): the command, with {file} standing
  // for the temporary copy. Overrides or adds to the built-in table; "off"
  // (or "") turns an extension's check off. From the user's config only.
  std::map<std::string, std::string> commands;
  // A folder the runner can read (inside the sandbox too: under the
  // repository's .git); each check writes its copy into a fresh subfolder.
  std::string scratch_dir;
  std::string cwd;  // where checkers run (the work tree)
  std::chrono::milliseconds timeout{10000};
};

// What a check found for one file.
struct SyntaxProblem {
  std::string path;     // repo-relative
  std::string checker;  // "python3", "json", "bash -n" ...
  std::string message;  // the parser's output, trimmed, the copy's path replaced by `path`
  int line = 0;         // 1-based line of the error in the new content; 0 when unknown
};

// The built-in command for an extension ("" when none); JSON is in-process
// and has no command.
std::string builtin_syntax_command(const std::string& ext);

// "py" for "a/b.py"; "" when none.
std::string file_extension(const std::string& path);

// The error of a JSON text, or nullopt when it is valid: simdjson's message
// and, where it can be told, the 1-based line.
std::optional<std::pair<std::string, int>> json_syntax_error(const std::string& text);

class SyntaxGuard {
 public:
  SyntaxGuard(SyntaxGuardConfig cfg, exec::ProcessRunner& runner);

  // The problem the change introduces, or nullopt: no checker for its type,
  // a deletion, the new content parses, or the base does not parse either.
  std::optional<SyntaxProblem> check(const diff::FileChange& change);

  // What was skipped for want of a parser ("no `node` on PATH: .js files are
  // not checked"), each once; cleared by the call.
  std::vector<std::string> take_notes();

  // Checks run and time spent in them (for the bench).
  size_t checks() const { return checks_; }

 private:
  struct Verdict {
    bool ran = false;  // false: skipped (no parser, timeout)
    bool ok = true;
    std::string message;
    int line = 0;
  };
  Verdict run(const std::string& path, const std::string& ext, const std::string& content);
  std::string command_for(const std::string& ext) const;

  SyntaxGuardConfig cfg_;
  exec::ProcessRunner& runner_;
  std::mutex mu_;                      // best-of-N attempts share one guard: one check at a time
  std::map<std::string, bool> noted_;  // programs already reported missing
  std::vector<std::string> notes_;
  size_t checks_ = 0;
  unsigned serial_ = 0;
};

// The message for the model when an edit is refused: the parser's output
// and the numbered lines around the error in the content the edit would
// have written.
std::string syntax_refusal(const SyntaxProblem& p, const std::string& new_content);

}  // namespace ds::worktree
