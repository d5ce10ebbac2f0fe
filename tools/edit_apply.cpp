// Applying model edit text to a repository, all-or-nothing unless partial.
#include "tools/edit_apply.hpp"

#include "edit/parse.hpp"
#include "edit/unified_diff.hpp"
#include "git/apply.hpp"
#include "git/repository.hpp"
#include "git/workdir_source.hpp"

namespace ds::tools {

EditApplyResult apply_edit_text(git::Repository& repo, std::string_view text,
                                const EditApplyOptions& opts) {
  EditApplyResult r;
  r.parsed = edit::parse_edits(text, opts.format);
  git::WorkdirSource source(repo);
  r.plan = edit::plan_edits(r.parsed, source);
  bool write = !r.plan.changes.empty() && (opts.partial || r.plan.failed() == 0);
  if (!write) return r;
  r.diff = edit::unified_diff(r.plan.changes);
  if (opts.dry_run) return r;
  Status st = git::apply_changes(repo, r.plan.changes);
  if (!st.ok()) {
    r.write_error = st.error().message;
    r.diff.clear();
    return r;
  }
  r.written = true;
  return r;
}

std::string block_summary(const EditApplyResult& r) {
  std::string out;
  for (const auto& b : r.plan.results) {
    out += "block " + std::to_string(b.index);
    if (!b.path.empty()) out += " " + b.path;
    if (b.applied) {
      out += ": applied (" + b.level + ")";
      if (b.line > 0) out += " at line " + std::to_string(b.line);
      out += "\n";
    } else {
      out += ": failed: " + b.error + "\n";
    }
  }
  if (!r.write_error.empty()) out += "nothing was written: " + r.write_error + "\n";
  return out;
}

std::string feedback_for_model(const EditApplyResult& r) {
  if (r.plan.results.empty())
    return "No edit blocks were found in your edit text. Check the format described in the system prompt.";
  std::string out;
  if (!r.write_error.empty()) {
    out += "The edits resolved but could not be written, so nothing changed: " + r.write_error + "\n";
    return out;
  }
  if (r.plan.failed() == 0) {
    out += "All " + std::to_string(r.plan.applied()) + " edit(s) applied.\n";
    for (const auto& b : r.plan.results) out += "- " + b.path + ": applied\n";
    return out;
  }
  out += r.plan.failure_report(r.written);
  return out;
}

}  // namespace ds::tools
