// The syntax guard of a run, from its settings: off under --no-lint; the
// checkers of `lint.EXT` in the user's config added to the built-in ones;
// copies to check written under the repository's .git (readable inside the
// command sandbox); checks run through `runner` (the tests' runner).
#pragma once

#include <memory>
#include <optional>

#include "agent/config/settings.hpp"
#include "base/result.hpp"
#include "exec/process.hpp"
#include "git/repository.hpp"
#include "worktree/syntax_guard.hpp"

namespace ds::agent {

// The guard's settings; nullopt under --no-lint.
Result<std::optional<worktree::SyntaxGuardConfig>> syntax_guard_config(const Settings& s);

// The guard for one repository (null when `cfg` is), its copies under the
// repository's diffsmith folder, its checks run by `runner`.
Result<std::shared_ptr<worktree::SyntaxGuard>> make_syntax_guard(
    const std::optional<worktree::SyntaxGuardConfig>& cfg, git::Repository& repo,
    exec::ProcessRunner& runner);

// One line for `doctor`: each extension the guard checks and with what, or
// what is missing ("syntax guard: .py python3, .json in-process, .go (no
// gofmt on PATH)"), or "syntax guard: off (--no-lint)".
std::string syntax_guard_summary(const Settings& s);

}  // namespace ds::agent
