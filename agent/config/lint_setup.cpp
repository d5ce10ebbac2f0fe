// Building the syntax guard of a run (lint_setup.hpp).
#include "agent/config/lint_setup.hpp"

#include <set>

#include "exec/program.hpp"
#include "exec/sandbox.hpp"
#include "git/diffsmith_dir.hpp"

namespace ds::agent {

Result<std::optional<worktree::SyntaxGuardConfig>> syntax_guard_config(const Settings& s) {
  auto off = s.boolean("no-lint", false);
  if (!off.ok()) return off.error();
  if (*off) return std::optional<worktree::SyntaxGuardConfig>();
  worktree::SyntaxGuardConfig cfg;
  // Only the user's file can hold these (settings.cpp refuses them in a
  // repository's .diffsmith.toml); the check is kept here too.
  for (const auto& [key, value] : s.files)
    if (key.rfind("lint.", 0) == 0 && !value.repo) cfg.commands[key.substr(5)] = value.value;
  return std::optional<worktree::SyntaxGuardConfig>(std::move(cfg));
}

Result<std::shared_ptr<worktree::SyntaxGuard>> make_syntax_guard(
    const std::optional<worktree::SyntaxGuardConfig>& cfg, git::Repository& repo,
    exec::ProcessRunner& runner) {
  if (!cfg) return std::shared_ptr<worktree::SyntaxGuard>();
  auto dir = git::diffsmith_dir(repo);
  if (!dir.ok()) return dir.error();
  worktree::SyntaxGuardConfig c = *cfg;
  c.scratch_dir = *dir + "/lint";
  c.cwd = repo.root();
  return std::make_shared<worktree::SyntaxGuard>(std::move(c), runner);
}

std::string syntax_guard_summary(const Settings& s) {
  auto cfg = syntax_guard_config(s);
  if (!cfg.ok()) return "syntax guard: " + cfg.error().message + "\n";
  if (!*cfg) return "syntax guard: off (--no-lint)\n";
  std::set<std::string> exts = {"py", "js", "json", "sh", "go", "rb", "php"};
  for (const auto& [ext, command] : (*cfg)->commands) exts.insert(ext);
  std::string out = "syntax guard:";
  const char* sep = " ";
  for (const auto& ext : exts) {
    auto it = (*cfg)->commands.find(ext);
    std::string command = it != (*cfg)->commands.end() ? it->second : worktree::builtin_syntax_command(ext);
    std::string program = command.substr(0, command.find(' '));
    std::string what;
    if (command == "off")
      what = "(off)";
    else if (command.empty())
      what = ext == "json" ? "in-process" : "(none)";
    else
      what = exec::find_program(program).empty() ? "(no " + program + " on PATH)" : program;
    out += sep + ("." + ext) + " " + what;
    sep = ", ";
  }
  return out + "\n";
}

}  // namespace ds::agent
