// The end of a run (final diff, run_finished) and the small helpers of the
// loop: status line, tool_result events, repeated-block notes, the next
// request's cost estimate against --max-cost.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>

#include "agent/session.hpp"
#include "agent/trajectory.hpp"
#include "diff/unified_diff.hpp"
#include "git/diff.hpp"
#include "git/patch_apply.hpp"
#include "git/patch_stats.hpp"
#include "text/tokens.hpp"

namespace ds::agent {

namespace {

// The notice for files left out of the patch: where they are and the git
// command that makes a patch of them.
std::string omitted_notice(const git::LimitedDiff& patch, const std::string& start, const std::string& end) {
  std::string names;
  for (size_t i = 0; i < patch.omitted.size() && i < 10; ++i)
    names += std::string(i ? ", " : "") + diff::header_path("", patch.omitted[i].path);
  if (patch.omitted.size() > 10) names += " and " + std::to_string(patch.omitted.size() - 10) + " more";
  return "left out of the patch (binary, or over --max-diff-file-size): " + names +
         ". They are in the work tree and in the run's checkpoints; `git diff --binary " +
         start.substr(0, 12) + " " + end.substr(0, 12) + " -- PATH` makes a patch of one.";
}

}  // namespace

void Session::finish(Verdict v) {
  if (!out_.start_commit.empty()) {
    // A final checkpoint records edits not yet checkpointed (an interrupted
    // turn); after a turn's own checkpoint it would only repeat it.
    if (unrecorded_edits_) checkpoint("diffsmith: end of run (" + std::string(status_name(v.status)) + ")");
    // The run's patch: start → end for exactly the files the run's edits
    // wrote. Anything else that changed in the work tree (build output,
    // __pycache__, files the tests wrote) is not part of the model's change.
    // Binary files and files over --max-diff-file-size are left out and named.
    // The reproduction's files are the proof, not the change: out of the
    // patch (and a prediction) unless --keep-repro.
    std::vector<std::string> code = edited_;
    if (repro_)
      std::erase_if(code, [&](const std::string& p) { return is_repro_file(p) && !cfg_.keep_repro; });
    auto patch =
        git::patch_of_paths(repo_, out_.start_commit, out_.end_commit, code, cfg_.max_diff_file_size);
    if (patch.ok()) {
      out_.diff = patch->text;
      out_.changed_paths = patch->shown;
      if (!patch->omitted.empty())
        events_.event(ev::Notice{omitted_notice(*patch, out_.start_commit, out_.end_commit)});
    } else {
      events_.event(ev::Notice{"cannot make the run's patch: " + patch.error().message});
    }
    if (repro_) {
      auto repro = git::patch_of_paths(repo_, out_.start_commit, out_.end_commit, repro_->files,
                                       cfg_.max_diff_file_size);
      if (repro.ok()) out_.repro_diff = repro->text;
    }
  }
  if (repro_) out_.repro_command = repro_->command;
  // --reproduce: a change nothing proved is unverified, whatever else ended
  // the run; an empty change is never a success, whatever the tests say.
  v = settle(std::move(v), cfg_.reproduce, repro_ && repro_->failed_on_base, !out_.diff.empty());
  out_.status = v.status;
  out_.reason = std::move(v.reason);
  out_.exit_code = to_int(exit_code_for(v.status, v.error_code));
  ev::RunFinished event;
  event.status = status_name(v.status);
  event.reason = out_.reason;
  event.mode = mode_name(out_.mode);
  event.tested = out_.mode != RunMode::Untested;
  event.turns = out_.turns;
  event.prompt_tokens = out_.usage.prompt_tokens;
  event.cached_tokens = out_.usage.cached_tokens;
  event.completion_tokens = out_.usage.completion_tokens;
  event.cost_usd = out_.cost_usd;
  event.exit_code = out_.exit_code;
  event.summary = out_.summary;
  event.diff = out_.diff;
  if (auto stats = git::patch_stats(out_.diff); stats.ok())
    for (auto& f : *stats) event.files.push_back({std::move(f.path), f.added, f.removed});
  event.duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_)
          .count();
  if (cfg_.reproduce) {
    ev::RunFinished::Repro r;
    if (repro_) {
      r.command = repro_->command;
      r.files = repro_->files;
      r.failed_on_base = repro_->failed_on_base;
      r.passes_at_end = repro_->passes_now && repro_->checked_at == out_.end_commit;
    }
    r.diff = out_.repro_diff;
    event.reproduction = std::move(r);
  }
  event.flaky = flaky_;
  events_.event(event);
}

void Session::tool_result(const llm::ToolCall& call, const tools::ToolOutcome& o,
                          std::chrono::steady_clock::duration took) {
  ev::ToolResult r;
  r.turn = out_.turns;
  r.call_id = call.id;
  r.name = call.name;
  r.ok = !o.is_error && (!o.edit || (o.edit->all_applied() && o.edit->parsed.errors.empty()));
  if (!r.ok) r.error = o.content.substr(0, o.content.find('\n'));
  r.output = o.content;
  r.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
  events_.event(r);
}

namespace {
// 950, 1.2k, 34k, 1.5M
std::string tokens_text(int64_t n) {
  char buf[32];
  if (n < 1000)
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(n));
  else if (n < 10000)
    std::snprintf(buf, sizeof buf, "%.1fk", static_cast<double>(n) / 1000);
  else if (n < 1000000)
    std::snprintf(buf, sizeof buf, "%lldk", static_cast<long long>((n + 500) / 1000));
  else
    std::snprintf(buf, sizeof buf, "%.1fM", static_cast<double>(n) / 1e6);
  return buf;
}

// "1.2k in (40% cached) / 300 out, $0.0040"
std::string usage_text(const llm::Usage& u, std::optional<double> cost) {
  std::string s = tokens_text(u.prompt_tokens) + " in";
  if (u.cached_tokens > 0 && u.prompt_tokens > 0)
    s += " (" + std::to_string(100 * u.cached_tokens / u.prompt_tokens) + "% cached)";
  s += " / " + tokens_text(u.completion_tokens) + " out, ";
  if (!cost) return s + "cost unknown";
  char buf[32];
  std::snprintf(buf, sizeof buf, "$%.4f", *cost);
  return s + buf;
}
}  // namespace

// "turn 3/30: 1.2k in / 300 out, $0.0040 · run: 4.5k in / 800 out, $0.0120 · 2.1s":
// the turn's tokens, cost and time (its request), then the run's totals.
std::string Session::status_line(const llm::Turn& turn, double cost) const {
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.1fs", std::chrono::duration<double>(turn.latency).count());
  return "turn " + std::to_string(out_.turns) + "/" + std::to_string(cfg_.max_turns) + ": " +
         usage_text(turn.usage, cost >= 0 ? std::optional<double>(cost) : std::nullopt) +
         " · run: " + usage_text(out_.usage, out_.cost_usd) + " · " + secs;
}

std::string Session::repeat_notes(const worktree::EditApplyResult& r) {
  // A block that failed before and comes back unchanged is called out, so
  // the model does not resend the same text forever.
  auto fingerprint = [&](int index) -> std::string {
    for (const auto& b : r.parsed.blocks)
      if (b.index == index) return b.path + '\0' + b.search + '\0' + b.replace;
    for (const auto& op : r.parsed.ops) {
      if (op.index != index) continue;
      std::string f = op.path + '\0' + op.content;
      for (const auto& c : op.chunks)
        for (const auto& l : c.lines) f += l.kind + l.text + '\n';
      return f;
    }
    return {};
  };
  std::string notes;
  for (const auto& b : r.plan.results) {
    if (b.applied) continue;
    std::string key = fingerprint(b.index);
    if (key.empty()) continue;
    auto [it, fresh] = failed_blocks_.emplace(key, out_.turns);
    if (!fresh && it->second != out_.turns) {
      notes += "Note: block " + std::to_string(b.index) + " (" + b.path +
               ") is the same block you sent in turn " + std::to_string(it->second) +
               "; it fails for the same reason: " + b.error +
               " Do not resend it unchanged: read the file again and copy the exact current lines.\n";
    }
  }
  return notes;
}

// --max-cost before a request: its input (estimated from the text sent, at
// the full input price) plus --max-output-tokens at the output price, when
// set, must fit in what is left; else it is not sent.
std::string Session::request_over_budget() const {
  if (cfg_.max_cost <= 0 || !cfg_.price_of || !cost_known_) return {};
  size_t tokens = 0;
  for (const auto& m : messages_) {
    tokens += text::estimate_tokens(m.content);
    for (const auto& c : m.tool_calls)
      tokens += text::estimate_tokens(c.name) + text::estimate_tokens(c.arguments);
  }
  for (const auto& t : tools_)
    tokens += text::estimate_tokens(t.def.description) + text::estimate_tokens(json::dump(t.def.parameters));
  llm::Usage next;
  next.prompt_tokens = static_cast<int64_t>(tokens);
  next.completion_tokens = cfg_.generation.max_output_tokens.value_or(0);
  double estimate = cfg_.price_of(cfg_.model, next);
  std::optional<double> spent = cfg_.shared_budget ? cfg_.shared_budget->spent() : out_.cost_usd;
  double left = cfg_.max_cost - spent.value_or(0);
  if (estimate < 0 || estimate <= left) return {};
  char cap[32];  // as the user wrote it, like budget_exceeded's: 0.005 stays 0.005, 2 is 2.00
  std::snprintf(cap, sizeof cap, "%.2f", cfg_.max_cost);
  if (std::abs(std::strtod(cap, nullptr) - cfg_.max_cost) > 1e-12)
    std::snprintf(cap, sizeof cap, "%.10g", cfg_.max_cost);
  char buf[300];
  std::snprintf(
      buf, sizeof buf,
      "cost limit: the next request would cost about $%.4f (%lld tokens in%s), more than the $%.4f left "
      "of --max-cost %s%s; it was not sent",
      estimate, static_cast<long long>(next.prompt_tokens),
      next.completion_tokens ? (" + " + std::to_string(next.completion_tokens) + " out").c_str() : "",
      std::max(left, 0.0), cap, cfg_.shared_budget ? " (all attempts together)" : "");
  return buf;
}

}  // namespace ds::agent
