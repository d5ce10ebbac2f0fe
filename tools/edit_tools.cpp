// apply_edits (SEARCH/REPLACE text) and apply_patch (V4A): the model's way of
// changing files. Blocks that resolve are written even when others fail, so
// the model resends only the failed ones.
#include <algorithm>

#include "tools/tool.hpp"

namespace ds::tools {
namespace {

ToolOutcome apply_text(const std::string& text, edit::Format format, ToolContext& ctx) {
  worktree::EditApplyOptions opts;
  opts.format = format;
  opts.partial = true;
  opts.other_candidates = ctx.worked_on;
  opts.guard = ctx.guard;
  opts.stop = [&ctx]() -> std::string {
    return ctx.interrupted && ctx.interrupted->load() ? "the run was interrupted" : "";
  };
  ToolOutcome o;
  o.edit = worktree::apply_edit_text(*ctx.repo, text, opts);
  remember_edited_files(ctx, *o.edit);
  o.content = worktree::feedback_for_model(*o.edit);
  o.is_error = !o.edit->all_applied();
  return o;
}

ToolOutcome apply_edits(const json::Value& args, ToolContext& ctx) {
  const std::string& text = args["edits"].as_string();
  if (text.empty())
    return tool_error("apply_edits needs `edits`: one or more SEARCH/REPLACE blocks as text.");
  return apply_text(text, edit::Format::SearchReplace, ctx);
}

ToolOutcome apply_patch(const json::Value& args, ToolContext& ctx) {
  const std::string& text = args["input"].as_string();
  if (text.empty())
    return tool_error("apply_patch needs `input`: the patch text from *** Begin Patch to *** End Patch.");
  return apply_text(text, edit::Format::Patch, ctx);
}

}  // namespace

void remember_edited_files(ToolContext& ctx, const worktree::EditApplyResult& r) {
  if (!r.written) return;
  for (const auto& c : r.plan.changes)
    if (c.after && std::find(ctx.worked_on.begin(), ctx.worked_on.end(), c.path) == ctx.worked_on.end())
      ctx.worked_on.push_back(c.path);
}

Tool apply_edits_tool() {
  json::Value props = json::Value::object();
  props.set("edits",
            string_prop("One or more SEARCH/REPLACE blocks, each preceded by the file path, as described "
                        "in the system prompt."));
  return Tool{{"apply_edits",
               "Edit or create files with SEARCH/REPLACE blocks. Each SEARCH section must match the file's "
               "current lines exactly. Reports which blocks applied and, for failed ones, the closest lines.",
               object_schema(std::move(props), {"edits"})},
              apply_edits};
}

Tool apply_patch_tool() {
  json::Value props = json::Value::object();
  props.set("input", string_prop("The patch, from '*** Begin Patch' to '*** End Patch'."));
  return Tool{{"apply_patch",
               "Edit, create, delete or move files with a patch in the V4A format described in the system "
               "prompt (no line numbers; context lines locate each change).",
               object_schema(std::move(props), {"input"})},
              apply_patch};
}

}  // namespace ds::tools
