// Applying model edit text to a repository, all-or-nothing unless partial.
#include "worktree/apply_edits.hpp"

#include <algorithm>
#include <map>

#include "diff/unified_diff.hpp"
#include "edit/parse.hpp"
#include "git/path_check.hpp"
#include "git/repository.hpp"
#include "text/repo_paths.hpp"
#include "worktree/apply.hpp"
#include "worktree/workdir_source.hpp"

namespace ds::worktree {

using namespace git;  // the repository, its error kinds and handles
namespace {

// The planner's view of the work tree: the one path check first (links,
// .git/, .diffsmith.toml, ignored files, submodules, nested repositories),
// then WorkdirSource's safe read (binary files refused).
class CheckedSource : public edit::FileSource {
 public:
  explicit CheckedSource(git::Repository& repo) : check_(PathCheck::open(repo)), source_(repo) {}
  Result<std::optional<std::string>> read(const std::string& path) override {
    if (!check_) return check_.error();  // the index could not be read
    auto rel = check_->file(path, PathUse::Edit);
    if (!rel) return rel.error();
    return source_.read(*rel);
  }

 private:
  Result<PathCheck> check_;
  WorkdirSource source_;
};

// Runs the guard over the planned changes: a file that no longer parses is
// dropped from them, and the blocks that edited it fail with the reason. A
// V4A move into such a file keeps its source too (its deletion is dropped).
void guard_changes(edit::EditPlan& plan, const edit::ParsedEdits& parsed, worktree::SyntaxGuard& guard) {
  std::map<std::string, std::string> refused;  // path -> why
  std::map<std::string, int> line;
  for (const auto& change : plan.changes) {
    if (auto problem = guard.check(change)) {
      refused[change.path] = worktree::syntax_refusal(*problem, *change.after);
      line[change.path] = problem->line;
    }
  }
  if (refused.empty()) return;
  for (const auto& op : parsed.ops) {
    if (op.move_to.empty()) continue;
    auto dest = text::normalize_repo_path(op.move_to);
    auto source = text::normalize_repo_path(op.path);
    if (dest && source && refused.count(*dest) && !refused.count(*source)) {
      refused[*source] = refused[*dest];
      line[*source] = line[*dest];
    }
  }
  std::erase_if(plan.changes, [&](const edit::FileChange& c) { return refused.count(c.path) > 0; });
  std::map<std::string, int> first;  // path -> the block whose error holds the details
  for (auto& b : plan.results) {
    auto it = refused.find(b.path);
    if (!b.applied || it == refused.end()) continue;
    b.applied = false;
    b.closest.clear();
    b.line = line[b.path];
    int& shown = first[it->second];
    b.error = "Block " + std::to_string(b.index) + " (" + b.path + "): " +
              (shown == 0 ? it->second
                          : "not written either: the result does not parse (see block " +
                                std::to_string(shown) + ").");
    if (shown == 0) shown = b.index;
  }
}

}  // namespace

EditApplyResult apply_edit_text(git::Repository& repo, std::string_view text, const EditApplyOptions& opts) {
  EditApplyResult r;
  r.parsed = edit::parse_edits(text, opts.format);
  CheckedSource source(repo);
  edit::PlanOptions plan_opts;
  plan_opts.other_candidates = opts.other_candidates;
  plan_opts.stop = opts.stop;
  // The first blocks name the candidates: a failing block tries each of them,
  // so a reply of 200,000 paths must not make them 200,000.
  size_t named = std::min(r.parsed.blocks.size(), edit::kMaxFailedEditsPerReply);
  for (size_t i = 0; i < named; ++i) plan_opts.other_candidates.push_back(r.parsed.blocks[i].path);
  r.plan = edit::plan_edits(r.parsed, source, plan_opts);
  if (opts.guard) guard_changes(r.plan, r.parsed, *opts.guard);
  bool write = !r.plan.changes.empty() && (opts.partial || r.plan.failed() == 0);
  if (!write) return r;
  r.diff = diff::unified_diff(r.plan.changes);
  if (opts.dry_run) return r;
  Status st = apply_changes(repo, r.plan.changes);
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
      if (!b.note.empty()) out += "; note: " + b.note;
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
    for (const auto& b : r.plan.results)
      out += "- " + b.path + ": applied" + (b.note.empty() ? "" : " (note: " + b.note + ")") + "\n";
    return out;
  }
  out += r.plan.failure_report(r.written);
  for (const auto& b : r.plan.results)
    if (b.applied && !b.note.empty())
      out += "Note on block " + std::to_string(b.index) + ": " + b.note + "\n";
  return out;
}

}  // namespace ds::worktree
