// Building the syntax guard of a run (lint_setup.hpp).
#include "agent/lint_setup.hpp"

#include "git/lock.hpp"

namespace ds::agent {

Result<std::optional<edit::SyntaxGuardConfig>> syntax_guard_config(const Settings& s) {
  auto off = s.boolean("no-lint", false);
  if (!off.ok()) return off.error();
  if (*off) return std::optional<edit::SyntaxGuardConfig>();
  edit::SyntaxGuardConfig cfg;
  // Only the user's file can hold these (settings.cpp refuses them in a
  // repository's .diffsmith.toml); the check is kept here too.
  for (const auto& [key, value] : s.files)
    if (key.rfind("lint.", 0) == 0 && !value.repo) cfg.commands[key.substr(5)] = value.value;
  return std::optional<edit::SyntaxGuardConfig>(std::move(cfg));
}

Result<std::shared_ptr<edit::SyntaxGuard>> make_syntax_guard(
    const std::optional<edit::SyntaxGuardConfig>& cfg, git::Repository& repo, exec::ProcessRunner& runner) {
  if (!cfg) return std::shared_ptr<edit::SyntaxGuard>();
  auto dir = git::diffsmith_dir(repo);
  if (!dir.ok()) return dir.error();
  edit::SyntaxGuardConfig c = *cfg;
  c.scratch_dir = *dir + "/lint";
  c.cwd = repo.root();
  return std::make_shared<edit::SyntaxGuard>(std::move(c), runner);
}

}  // namespace ds::agent
