// Edit text → parsed blocks → plan against the worktree → one exact patch
// written through the journal (git/apply). Shared by `diffsmith apply`, the apply_edits /
// apply_patch tools, and edits the model writes in plain text.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "edit/edit_types.hpp"
#include "edit/plan.hpp"
#include "git/repository.hpp"
#include "worktree/syntax_guard.hpp"

namespace ds::worktree {

struct EditApplyOptions {
  edit::Format format = edit::Format::Auto;
  bool partial = false;  // write the blocks that resolved even when others failed
  bool dry_run = false;  // resolve and diff, write nothing
  // Files a block that names the wrong file may have meant, besides the other
  // files named in the same text (edit::PlanOptions). A run passes the files
  // the model read or edited (ToolContext::worked_on).
  std::vector<std::string> other_candidates;
  // Asked between edits (edit::PlanOptions::stop): a run passes Ctrl-C and
  // --max-time, so a long reply is not applied to its end after either.
  std::function<std::string()> stop;
  // Checks each changed file before anything is written (--no-lint: null).
  // A file the edit leaves unparsable is not written, and its blocks fail
  // with the parser's error and the numbered lines around it.
  worktree::SyntaxGuard* guard = nullptr;
};

struct EditApplyResult {
  edit::ParsedEdits parsed;
  edit::EditPlan plan;
  std::string diff;         // what changed (or would, with dry_run)
  bool written = false;     // files on disk were changed
  std::string write_error;  // libgit2 refused the patch: nothing was written
  bool all_applied() const { return plan.failed() == 0 && write_error.empty(); }
};

// Every path a block names passes PathCheck (PathUse::Edit) before it
// is read: a refused path fails its block with the check's reason.
EditApplyResult apply_edit_text(git::Repository& repo, std::string_view text, const EditApplyOptions& opts);

// One line per block: "block 2 (line 14) src/a.py: applied (whitespace)" or
// "block 3 (line 30) src/b.py: failed: <why>".
std::string block_summary(const EditApplyResult& r);

// The feedback for the model after an edit: what was applied, and for each
// failed block why and the closest region of the real file.
std::string feedback_for_model(const EditApplyResult& r);

}  // namespace ds::worktree
