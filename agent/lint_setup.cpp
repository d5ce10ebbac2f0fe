// Building the syntax guard of a run (lint_setup.hpp).
#include "agent/lint_setup.hpp"

#include "git/lock.hpp"

namespace ds::agent {

Result<std::shared_ptr<edit::SyntaxGuard>> make_syntax_guard(const Settings& s, git::Repository& repo,
                                                             exec::ProcessRunner& runner) {
  auto off = s.boolean("no-lint", false);
  if (!off.ok()) return off.error();
  if (*off) return std::shared_ptr<edit::SyntaxGuard>();
  auto dir = git::diffsmith_dir(repo);
  if (!dir.ok()) return dir.error();
  edit::SyntaxGuardConfig cfg;
  cfg.scratch_dir = *dir + "/lint";
  cfg.cwd = repo.root();
  // Only the user's file can hold these (settings.cpp refuses them in a
  // repository's .diffsmith.toml); the check is kept here too.
  for (const auto& [key, value] : s.files)
    if (key.rfind("lint.", 0) == 0 && !value.repo) cfg.commands[key.substr(5)] = value.value;
  return std::make_shared<edit::SyntaxGuard>(std::move(cfg), runner);
}

}  // namespace ds::agent
