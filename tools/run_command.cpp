// run_command: one shell command in the repository root, in the sandbox the
// agent set up (or unsandboxed under the user's --sandbox off). Files the
// command writes are found by snapshotting the work tree before and after,
// and handed back as tree_changes so the agent treats them as edits.
#include <algorithm>
#include <cstdio>

#include "exec/sandbox.hpp"
#include "exec/trim.hpp"
#include "text/duration.hpp"
#include "tools/tool.hpp"

namespace ds::tools {
namespace {

constexpr int64_t kDefaultTimeoutS = 60;

std::string header(const exec::RunResult& r, int64_t timeout_s) {
  char buf[160];
  if (r.timed_out)
    std::snprintf(buf, sizeof buf, "Command killed at the timeout (%lld s); output so far:\n",
                  static_cast<long long>(timeout_s));
  else if (r.interrupted)
    std::snprintf(buf, sizeof buf, "Command stopped: the run was interrupted. Output so far:\n");
  else
    std::snprintf(buf, sizeof buf, "Command exited with code %d after %s.\n", r.exit_code,
                  text::seconds_text(r.duration).c_str());
  return buf;
}

std::string changed_note(const std::vector<std::string>& paths) {
  std::string list;
  for (size_t i = 0; i < paths.size() && i < 20; ++i) list += (i ? ", " : "") + paths[i];
  if (paths.size() > 20) list += " and " + std::to_string(paths.size() - 20) + " more";
  return "\nFiles changed by the command: " + list +
         ". They count as your edits: they are checkpointed and the tests run after this reply.";
}

ToolOutcome run_command(const json::Value& args, ToolContext& ctx) {
  if (!ctx.commands) return tool_error("running commands is disabled for this run.");
  const std::string& command = args["command"].as_string();
  if (command.find_first_not_of(" \t\r\n") == std::string::npos)
    return tool_error(
        "run_command needs a `command`, a shell command line such as `python3 -m pytest -x "
        "tests/test_a.py`.");
  int64_t limit = std::max(1, ctx.command_timeout_s);
  int64_t timeout_s =
      std::clamp<int64_t>(args["timeout_s"].as_int(std::min(kDefaultTimeoutS, limit)), 1, limit);

  // The snapshot before the command: what it changed is after minus this,
  // not whatever the test runs left in the tree since the last checkpoint.
  std::string before, snapshot_error;
  if (ctx.repo) {
    auto s = git::snapshot_worktree(*ctx.repo);
    if (s.ok())
      before = *s;
    else
      snapshot_error = s.error().message;
  }

  exec::RunRequest req;
  req.command = command;
  req.cwd = ctx.root;
  req.timeout = std::chrono::seconds(timeout_s);
  req.scrub = exec::secret_env_patterns();
  req.keep = ctx.pass_env;
  req.set["PYTHONDONTWRITEBYTECODE"] = "1";  // no __pycache__ from the model's commands either
  auto r = ctx.commands->run(req);

  ToolOutcome o;
  if (!r.ok()) {
    o = tool_error("the command could not be started: " + r.error().message);
  } else {
    std::string output = exec::trim_for_model(r->output, ctx.command_output_tokens);
    o.content = header(*r, timeout_s) + (output.empty() ? "(no output)" : output);
  }
  o.may_change_tree = true;
  if (!before.empty()) {
    auto changes = git::worktree_changes(*ctx.repo, before, ctx.max_diff_file_size);
    if (!changes.ok()) {
      o.content += "\nNote: could not tell which files the command changed: " + changes.error().message;
    } else if (!changes->paths.empty()) {
      o.content += changed_note(changes->paths);
      o.tree_changes = std::move(*changes);
    }
  } else if (!snapshot_error.empty()) {
    o.content += "\nNote: could not snapshot the work tree before the command: " + snapshot_error;
  }
  return o;
}

}  // namespace

Tool run_command_tool() {
  json::Value props = json::Value::object();
  props.set("command", string_prop("Shell command line, run with /bin/sh -c in the repository root."));
  props.set("timeout_s", integer_prop("Seconds before the command is killed. Optional; default 60."));
  return Tool{
      {"run_command",
       "Run a shell command in the repository root. Commands normally run in a sandbox: only the work "
       "tree is writable (not .git), /tmp and HOME are private and emptied after each command, and "
       "there is no network. Use it to reproduce a bug, inspect the environment, or run one test. "
       "Shows the exit code and the (trimmed) output. Files it changes count as edits, but make code "
       "changes with the edit tool, not with sed or echo.",
       object_schema(std::move(props), {"command"})},
      run_command};
}

}  // namespace ds::tools
