// The syntax guard of a run, from its settings: off under --no-lint; the
// checkers of `lint.EXT` in the user's config added to the built-in ones;
// copies to check written under the repository's .git (readable inside the
// command sandbox); checks run through `runner` (the tests' runner).
#pragma once

#include <memory>

#include "agent/cli/settings.hpp"
#include "base/result.hpp"
#include "edit/syntax_guard.hpp"
#include "exec/process.hpp"
#include "git/repository.hpp"

namespace ds::agent {

// Null under --no-lint.
Result<std::shared_ptr<edit::SyntaxGuard>> make_syntax_guard(const Settings& s, git::Repository& repo,
                                                             exec::ProcessRunner& runner);

}  // namespace ds::agent
