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
  err << worktree::block_summary(r);
  if (r.plan.results.empty()) err << "no edit blocks found in the input\n";
  if (r.plan.failed() > 0) {
    err << "\n" << r.plan.failure_report(r.written);
    if (!r.written && !o.dry_run && r.plan.applied() > 0)
      err << "nothing was written (all-or-nothing; use --partial to write the blocks that applied)\n";
  }
  if (o.json)
    out << json::dump(result_json(r)) << "\n";
  else
    out << r.diff;
  return to_int(r.all_applied() && !r.plan.results.empty() ? ExitCode::Ok : ExitCode::NotSolved);
}

}  // namespace ds::agent
