// A model-facing tool: its schema (sent in the API's `tools` field) and its
// handler over the src/ libraries. The agent owns the loop; tools only act on
// the repository they are given and report what happened.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "diff/diff_limits.hpp"
#include "edit/edit_types.hpp"
#include "exec/process.hpp"
#include "git/worktree_changes.hpp"
#include "json/value.hpp"
#include "llm/types.hpp"
#include "worktree/apply_edits.hpp"

namespace ds::git {
class Repository;
}
namespace ds::mcp {
class Server;
}

namespace ds::tools {

struct ToolContext {
  git::Repository* repo = nullptr;
  std::string root;                  // the repository's work tree
  std::vector<std::string> tracked;  // tracked files, refreshed by the agent after edits
  // Runs the configured test command; returns the text for the model.
  std::function<std::string()> run_tests;
  // set_reproduction (--reproduce): checks the command on the base tree plus
  // `files`; returns the text for the model. Empty: the tool is not offered.
  std::function<std::string(const std::string& command, const std::vector<std::string>& files)>
      set_reproduction;
  // Renders the repo map for optional focus terms (empty function: no map).
  std::function<std::string(const std::vector<std::string>& focus)> repo_map;
  // run_command: the runner commands go through (the bwrap sandbox, or the
  // plain runner under --sandbox off); null: the tool is not offered.
  exec::ProcessRunner* commands = nullptr;
  int command_timeout_s = 120;          // the longest a command may ask for
  size_t command_output_tokens = 2500;  // command output sent to the model
  // Files a command changed that are larger are named in its diff, not shown.
  uint64_t max_diff_file_size = diff::kDefaultMaxDiffFileSize;
  std::vector<std::string> pass_env;  // key-like variables commands still see
  // Set by Ctrl-C; long tools (search) stop early when it is. May be null.
  const std::atomic<bool>* interrupted = nullptr;
  // Files the model read or edited in this run, for an edit block that names
  // the wrong file (worktree::EditApplyOptions::other_candidates). Kept by the agent.
  std::vector<std::string> worked_on;
  // The syntax guard edits pass before they are written; null: --no-lint.
  worktree::SyntaxGuard* guard = nullptr;
};

struct ToolOutcome {
  std::string content;                            // the tool message sent back to the model
  bool is_error = false;                          // bad arguments, unknown path …
  std::optional<worktree::EditApplyResult> edit;  // apply_edits / apply_patch
  bool finish = false;                            // the model called finish
  std::string summary;                            // finish's summary
  // run_command: the command may have written files. When it did,
  // tree_changes holds what changed since just before it ran; the agent
  // treats that like an applied edit (checkpoint, diff event, test run).
  bool may_change_tree = false;
  std::optional<git::WorktreeChanges> tree_changes;
};

struct Tool {
  llm::ToolDef def;
  std::function<ToolOutcome(const json::Value& args, ToolContext& ctx)> handler;
  // Empty: always offered. An MCP server's tools are withdrawn (not offered,
  // not called) once the server has died.
  std::function<bool()> available;
  bool offered() const { return !available || available(); }
};

// The tool set for a run, in a stable order (the prompt-cache prefix depends
// on it): read_file, list_files, search, [repo_map], apply_edits or
// apply_patch, run_tests, [run_command], [set_reproduction], finish.
std::vector<Tool> make_tools(edit::Format edit_format, bool with_repo_map, bool with_commands = false,
                             bool with_reproduction = false);

// The tools of running MCP servers, namespaced SERVER__tool, filtered by each
// server's allow/deny lists and sorted by name (tools/mcp_tools.cpp).
std::vector<Tool> mcp_tools(const std::vector<std::shared_ptr<mcp::Server>>& servers);

// Dispatches one call; unknown tools and malformed arguments become an error
// message for the model, never an exception.
ToolOutcome call_tool(const std::vector<Tool>& tools, const llm::ToolCall& call, ToolContext& ctx);

// Individual tools (tools/<name>.cpp).
Tool read_file_tool();
Tool list_files_tool();
Tool search_tool();
Tool repo_map_tool();
Tool apply_edits_tool();
Tool apply_patch_tool();
Tool run_tests_tool();
Tool run_command_tool();
Tool finish_tool();
Tool set_reproduction_tool();

// Adds the files an edit changed (when written) to ctx.worked_on, the
// candidates for a later block that names the wrong file. The edit tools
// call it; so does the agent for edits in the model's plain text.
void remember_edited_files(ToolContext& ctx, const worktree::EditApplyResult& r);

// Schema helpers shared by the tool files.
json::Value object_schema(json::Value properties, std::vector<std::string> required);
json::Value string_prop(const char* description);
json::Value integer_prop(const char* description);
ToolOutcome tool_error(std::string message);

}  // namespace ds::tools
