// The JSON of each event type, in the field order docs/events.md documents.
#include "agent/events.hpp"

#include <unistd.h>

#include <cstdlib>
#include <type_traits>

namespace ds::agent {

namespace {

json::Value typed(EventKind k) { return json::Value::object().set("type", type_name(k)); }

json::Value strings(const std::vector<std::string>& items) {
  json::Value a = json::Value::array();
  for (const auto& s : items) a.push(s);
  return a;
}

json::Value cost(const std::optional<double>& usd) { return usd ? json::Value(*usd) : json::Value(); }

json::Value json_of(const ev::RunStarted& e) {
  json::Value v = typed(EventKind::RunStarted);
  v.set("run_id", e.run_id).set("model", e.model).set("repo", e.repo);
  v.set("test_cmd", e.test_cmd).set("test_source", e.test_source).set("edit_format", e.edit_format);
  v.set("checkpoint", e.checkpoint);
  if (!e.continues.empty()) v.set("continues", e.continues);
  return v.set("task", e.task);
}

json::Value json_of(const ev::Mode& e) { return typed(EventKind::Mode).set("mode", e.mode); }

json::Value json_of(const ev::Tests& e) {
  json::Value v = typed(EventKind::Tests);
  v.set("turn", e.turn).set("exit_code", e.exit_code).set("passed", e.passed).set("timed_out", e.timed_out);
  v.set("duration_ms", e.duration_ms);
  if (e.error) v.set("error", *e.error);
  if (e.interrupted) v.set("interrupted", true);
  v.set("output_tail", tail_excerpt(e.output, ev::Tests::kTailLines, ev::Tests::kTailBytes));
  if (e.regressions) v.set("regressions", strings(*e.regressions));
  return v;
}

json::Value json_of(const ev::Reproduction& e) {
  json::Value v = typed(EventKind::Reproduction);
  v.set("turn", e.turn).set("command", e.command).set("files", strings(e.files)).set("tree", e.tree);
  v.set("exit_code", e.exit_code).set("passed", e.passed).set("duration_ms", e.duration_ms);
  if (e.error) v.set("error", *e.error);
  return v.set("output_tail", tail_excerpt(e.output, ev::Tests::kTailLines, ev::Tests::kTailBytes));
}

json::Value json_of(const ev::ModelTurn& e) {
  json::Value v = typed(EventKind::ModelTurn);
  v.set("turn", e.turn).set("finish_reason", e.finish_reason);
  v.set("usage", json::Value::object()
                     .set("prompt_tokens", e.prompt_tokens)
                     .set("cached_tokens", e.cached_tokens)
                     .set("completion_tokens", e.completion_tokens));
  v.set("cost_usd", cost(e.cost_usd)).set("latency_ms", e.latency_ms).set("request_id", e.request_id);
  return v.set("status_line", e.status_line);
}

json::Value json_of(const ev::AssistantText& e) {
  return typed(EventKind::AssistantText).set("turn", e.turn).set("text", e.text);
}

json::Value json_of(const ev::ToolCall& e) {
  return typed(EventKind::ToolCall)
      .set("turn", e.turn)
      .set("call_id", e.call_id)
      .set("name", e.name)
      .set("arguments", e.arguments);
}

json::Value json_of(const ev::ToolResult& e) {
  json::Value v = typed(EventKind::ToolResult).set("turn", e.turn).set("call_id", e.call_id);
  v.set("name", e.name).set("ok", e.ok);
  if (!e.ok) v.set("error", e.error);
  return v.set("excerpt", result_excerpt(e)).set("duration_ms", e.duration_ms);
}

json::Value json_of(const ev::Edit& e) {
  json::Value v = typed(EventKind::Edit);
  v.set("turn", e.turn).set("index", e.index).set("path", e.path);
  v.set("status", e.applied ? "applied" : "failed").set("level", e.level).set("error", e.error);
  if (!e.note.empty()) v.set("note", e.note);
  return v;
}

json::Value json_of(const ev::Diff& e) {
  json::Value v = typed(EventKind::Diff).set("turn", e.turn).set("diff", e.diff);
  if (!e.source.empty()) v.set("source", e.source);
  return v;
}

json::Value json_of(const ev::Checkpoint& e) {
  json::Value v = typed(EventKind::Checkpoint).set("turn", e.turn).set("ref", e.ref);
  if (e.commit) return v.set("commit", *e.commit);
  return v.set("error", e.error);
}

json::Value json_of(const ev::Notice& e) { return typed(EventKind::Notice).set("message", e.message); }

json::Value attempts_json(const std::vector<ev::RunFinished::Attempt>& attempts) {
  json::Value out = json::Value::array();
  for (const auto& a : attempts) {
    json::Value fails = json::Value::array();
    for (int f : a.fails_reproduction_of) fails.push(f);
    json::Value v = json::Value::object();
    v.set("attempt", a.attempt).set("variation", a.variation).set("status", a.status).set("reason", a.reason);
    v.set("turns", a.turns).set("cost_usd", cost(a.cost_usd)).set("diff", a.diff);
    v.set("reproduction", json::Value::object()
                              .set("command", a.repro_command)
                              .set("failed_on_base", a.repro_failed_on_base)
                              .set("passes_at_end", a.repro_passes_at_end));
    v.set("fails_reproduction_of", std::move(fails)).set("winner", a.winner).set("why", a.why);
    out.push(std::move(v));
  }
  return out;
}

json::Value json_of(const ev::RunFinished& e) {
  json::Value v = typed(EventKind::RunFinished);
  v.set("status", e.status).set("reason", e.reason);
  v.set("mode", e.mode ? json::Value(*e.mode) : json::Value()).set("tested", e.tested);
  v.set("turns", e.turns);
  v.set("tokens", json::Value::object()
                      .set("prompt", e.prompt_tokens)
                      .set("cached", e.cached_tokens)
                      .set("completion", e.completion_tokens));
  v.set("cost_usd", cost(e.cost_usd));
  v.set("exit_code", e.exit_code).set("summary", e.summary).set("diff", e.diff);
  json::Value files = json::Value::array();
  for (const auto& f : e.files)
    files.push(json::Value::object().set("path", f.path).set("added", f.added).set("removed", f.removed));
  v.set("files", std::move(files)).set("duration_ms", e.duration_ms);
  if (e.reproduction) {
    const auto& r = *e.reproduction;
    v.set("reproduction", json::Value::object()
                              .set("command", r.command)
                              .set("files", strings(r.files))
                              .set("failed_on_base", r.failed_on_base)
                              .set("passes_at_end", r.passes_at_end)
                              .set("diff", r.diff));
  }
  if (!e.flaky.empty()) v.set("flaky", strings(e.flaky));
  if (!e.attempts.empty()) v.set("attempts", attempts_json(e.attempts)).set("selection", e.selection);
  return v;
}

json::Value json_of(const ev::Progress& e) {
  json::Value v = typed(EventKind::Progress);
  v.set("turn", e.turn).set("what", e.what).set("command", e.command);
  return v.set("elapsed_ms", e.elapsed_ms);
}

json::Value json_of(const ev::BatchTask& e) {
  json::Value files = json::Value::array();
  for (const auto& f : e.test_files) files.push(f);
  json::Value v = typed(EventKind::BatchTask);
  v.set("id", e.id).set("repo", e.repo).set("base_commit", e.base_commit);
  v.set("checkout", e.checkout).set("test_cmd", e.test_cmd).set("test_files", std::move(files));
  return v.set("test_source", e.test_source).set("oracle_tests", e.oracle_tests).set("hints", e.hints);
}

}  // namespace

const char* type_name(EventKind k) {
  switch (k) {
    case EventKind::RunStarted:
      return "run_started";
    case EventKind::Mode:
      return "mode";
    case EventKind::Tests:
      return "tests";
    case EventKind::ModelTurn:
      return "model_turn";
    case EventKind::AssistantText:
      return "assistant_text";
    case EventKind::ToolCall:
      return "tool_call";
    case EventKind::Edit:
      return "edit";
    case EventKind::Diff:
      return "diff";
    case EventKind::Checkpoint:
      return "checkpoint";
    case EventKind::Notice:
      return "notice";
    case EventKind::RunFinished:
      return "run_finished";
    case EventKind::BatchTask:
      return "batch_task";
    case EventKind::Reproduction:
      return "reproduction";
    case EventKind::Progress:
      return "progress";
    case EventKind::ToolResult:
      return "tool_result";
  }
  return "";
}

json::Value to_json(const Event& e) {
  return std::visit([](const auto& x) { return json_of(x); }, e);
}

std::string tail_excerpt(std::string_view text, size_t max_lines, size_t max_bytes) {
  size_t pos = text.size();
  if (pos > 0 && text[pos - 1] == '\n') --pos;
  for (size_t n = 0; pos > 0; --pos)
    if (text[pos - 1] == '\n' && ++n == max_lines) break;
  std::string_view tail = text.substr(pos);
  if (tail.size() > max_bytes) {
    tail = tail.substr(tail.size() - max_bytes);
    size_t nl = tail.find('\n');
    if (nl != std::string_view::npos && nl + 1 < tail.size()) {
      tail = tail.substr(nl + 1);
    } else {  // no line start in reach: at least start on a whole UTF-8 character
      size_t i = 0;
      while (i < tail.size() && (static_cast<unsigned char>(tail[i]) & 0xC0) == 0x80) ++i;
      tail = tail.substr(i);
    }
  }
  return std::string(tail);
}

std::string head_excerpt(std::string_view text, size_t max_lines, size_t max_bytes) {
  size_t end = 0;
  for (size_t n = 0; end < text.size(); ++end)
    if (text[end] == '\n' && ++n == max_lines) break;
  bool cut = end < text.size() && !(end + 1 == text.size() && text[end] == '\n');
  std::string_view head = text.substr(0, end);
  if (head.size() > max_bytes) {
    cut = true;
    head = head.substr(0, max_bytes);
    size_t nl = head.rfind('\n');
    if (nl != std::string_view::npos && nl > 0) {
      head = head.substr(0, nl);
    } else {  // no line end in reach: at least end on a whole UTF-8 character
      size_t i = head.size();
      while (i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
      head = head.substr(0, i);
    }
  }
  std::string out(head);
  if (cut) out += out.empty() || out.back() == '\n' ? "…" : "\n…";
  return out;
}

std::string result_excerpt(const ev::ToolResult& e) {
  using R = ev::ToolResult;
  if (!e.tail_first()) return head_excerpt(e.output, R::kExcerptLines, R::kExcerptBytes);
  std::string tail = tail_excerpt(e.output, R::kExcerptLines, R::kExcerptBytes);
  return tail.size() < e.output.size() ? "…\n" + tail : tail;
}

bool use_color(std::FILE* f) {
  const char* no = std::getenv("NO_COLOR");
  if (no && *no) return false;
  return isatty(fileno(f)) != 0;
}

}  // namespace ds::agent
