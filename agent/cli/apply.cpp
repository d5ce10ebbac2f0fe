// `diffsmith apply`: parse, resolve every block in memory, then write one
// exact patch through libgit2 (all-or-nothing unless --partial).
#include "agent/cli/apply.hpp"

#include <iostream>

#include "agent/cli/input.hpp"
#include "agent/exit_code.hpp"
#include "git/repository.hpp"
#include "json/value.hpp"
#include "worktree/apply_edits.hpp"

namespace ds::agent {

namespace {

bool parse_format(const std::string& s, edit::Format& f) {
  if (s == "auto")
    f = edit::Format::Auto;
  else if (s == "search-replace")
    f = edit::Format::SearchReplace;
  else if (s == "patch")
    f = edit::Format::Patch;
  else
    return false;
  return true;
}

json::Value result_json(const worktree::EditApplyResult& r) {
  json::Value blocks = json::Value::array();
  json::Value files = json::Value::array();
  for (const auto& c : r.plan.changes) files.push(c.path);
  for (const auto& b : r.plan.results) {
    json::Value o = json::Value::object();
    o.set("index", b.index).set("path", b.path).set("status", b.applied ? "applied" : "failed");
    o.set("level", b.applied ? json::Value(b.level) : json::Value());
    o.set("error", b.applied ? json::Value() : json::Value(b.error));
    o.set("closest", b.closest.empty() ? json::Value() : json::Value(b.closest));
    blocks.push(std::move(o));
  }
  json::Value v = json::Value::object();
  v.set("applied", static_cast<int64_t>(r.plan.applied()))
      .set("failed", static_cast<int64_t>(r.plan.failed()));
  v.set("written", r.written).set("files", std::move(files)).set("blocks", std::move(blocks));
  if (!r.write_error.empty()) v.set("write_error", r.write_error);
  v.set("diff", r.diff);
  return v;
}

// What happened to each block, each failure's reason once (with the closest
// lines when the file has some), then one line for the whole.
std::string report(const worktree::EditApplyResult& r, bool dry_run) {
  if (r.plan.results.empty()) return "no edit blocks found in the input\n";
  std::string out;
  int closest_shown = 0;  // the closest lines of the first few failures only (a reply may have thousands)
  for (const auto& b : r.plan.results) {
    std::string head = "block " + std::to_string(b.index) + (b.path.empty() ? "" : " " + b.path);
    if (b.applied) {
      out += head + ": applied (" + b.level + ")";
      if (b.line > 0) out += " at line " + std::to_string(b.line);
      if (!b.note.empty()) out += "; note: " + b.note;
      out += "\n";
      continue;
    }
    // The plan's error starts "Block N (PATH): " for the model; the line already says so.
    std::string why = b.error;
    if (std::string prefix = "Block " + std::to_string(b.index) + " (" + b.path + "): ";
        why.starts_with(prefix))
      why = why.substr(prefix.size());
    out += head + ": failed: " + why + "\n";
    if (!b.closest.empty() && ++closest_shown <= 5)
      out += "  the closest lines in " + b.path + ":\n" + b.closest;
  }
  if (!r.write_error.empty()) return out + "nothing was written: " + r.write_error + "\n";
  size_t failed = r.plan.failed(), applied = r.plan.applied();
  if (failed == 0) return out;
  out += std::to_string(failed) + " of " + std::to_string(r.plan.results.size()) + " edit blocks failed; ";
  if (dry_run)
    out += "--dry-run: nothing was written\n";
  else if (r.written && applied > 0)
    out += "the blocks that applied were written (--partial)\n";
  else if (applied > 0)
    out += "nothing was written (all or nothing; --partial writes the blocks that applied)\n";
  else
    out += "nothing was written\n";
  return out;
}

}  // namespace

int run_apply_command(const ApplyCommandOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
  worktree::EditApplyOptions opts;
  if (!parse_format(o.format, opts.format))
    return fail(err, "apply", "--format must be auto, search-replace or patch (got '" + o.format + "')",
                ExitCode::Usage);
  opts.partial = o.partial;
  opts.dry_run = o.dry_run;
  auto input = read_input(o.input, in);
  if (!input) return fail(err, "apply", "edit text: " + input.error().message, ExitCode::Usage);
  const std::string& text = *input;
  auto repo = git::Repository::open(o.dir);
  if (!repo.ok()) return fail(err, "apply", repo.error().message, ExitCode::Repository);
  worktree::EditApplyResult r = worktree::apply_edit_text(*repo, text, opts);
  err << report(r, o.dry_run);
  if (o.json)
    out << json::dump(result_json(r)) << "\n";
  else
    out << r.diff;
  return to_int(r.all_applied() && !r.plan.results.empty() ? ExitCode::Ok : ExitCode::NotSolved);
}

}  // namespace ds::agent
