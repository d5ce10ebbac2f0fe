// The user's hooks inside the loop: before_tool (may block a call) and
// after_edit (its changes to the work tree are edits like the model's: a diff
// event now, the turn's checkpoint records them, undo takes them back).
#include <algorithm>

#include "agent/hooks.hpp"
#include "agent/session.hpp"
#include "git/repository.hpp"
#include "git/status.hpp"
#include "git/worktree_changes.hpp"

namespace ds::agent {

namespace {
// Hooks are the user's own commands: they run on this machine, never in the
// sandbox or container the tests may use.
exec::ProcessRunner& hook_runner() {
  static exec::SystemRunner runner;
  return runner;
}
}  // namespace

std::string Session::before_tool_hook(const llm::ToolCall& call) {
  if (cfg_.hooks.before_tool.empty()) return {};
  json::Value tool = json::Value::object();
  tool.set("id", call.id)
      .set("name", call.name)
      .set("arguments", call.args.is_null() ? json::Value(call.arguments) : call.args);
  HookRun h = run_hook(hook_runner(), "before_tool", cfg_.hooks.before_tool,
                       json::Value::object().set("tool", std::move(tool)), cfg_.run_id, repo_.root(),
                       cfg_.hooks.timeout_s);
  if (!h.problem.empty()) events_.event(ev::Notice{h.problem});
  if (!h.blocked) return {};
  events_.event(ev::Notice{"the before_tool hook blocked " + call.name});
  return "blocked by the user's before_tool hook: " + h.stderr_text;
}

void Session::after_edit_hook() {
  if (cfg_.hooks.after_edit.empty()) return;
  // The paths this turn changed: the work tree against the last checkpoint.
  auto edits = git::worktree_changes(repo_, out_.end_commit, cfg_.max_diff_file_size);
  if (!edits.ok()) {
    events_.event(ev::Notice{"after_edit hook not run: " + edits.error().message});
    return;
  }
  json::Value paths = json::Value::array();
  for (const auto& p : edits->paths) paths.push(p);
  HookRun h = run_hook(hook_runner(), "after_edit", cfg_.hooks.after_edit,
                       json::Value::object().set("paths", std::move(paths)), cfg_.run_id, repo_.root(),
                       cfg_.hooks.timeout_s);
  if (!h.problem.empty()) events_.event(ev::Notice{h.problem});
  if (h.blocked)
    events_.event(ev::Notice{"the after_edit hook exited 2 (edits cannot be blocked after the fact): " +
                             h.stderr_text});
  auto changes = git::worktree_changes(repo_, edits->after, cfg_.max_diff_file_size);
  if (!changes.ok() || changes->paths.empty()) return;
  unrecorded_edits_ = true;
  for (const auto& p : changes->paths)
    if (std::find(edited_.begin(), edited_.end(), p) == edited_.end()) edited_.push_back(p);
  events_.event(ev::Diff{out_.turns, changes->diff, "after_edit hook"});
  if (auto tracked = git::tracked_files(repo_); tracked.ok()) tool_ctx_.tracked = std::move(*tracked);
}

}  // namespace ds::agent
