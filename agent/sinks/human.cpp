// The human sink: what a person sees of a run on stderr (see agent/sinks.hpp).
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "agent/sinks.hpp"
#include "edit/parse.hpp"
#include "git/patch_stats.hpp"
#include "text/duration.hpp"
#include "text/lines.hpp"
#include "text/redact.hpp"
#include "text/terminal.hpp"

namespace ds::agent {

namespace {

constexpr size_t kTestTailLines = 15;
constexpr size_t kCommandTailLines = 8;
constexpr size_t kSummaryLines = 4, kSummaryChars = 400;

const char* kDim = "2";
const char* kGreen = "32";
const char* kRed = "31";
const char* kYellow = "33";
const char* kCyan = "36";

std::string seconds(int64_t ms) { return text::seconds_text(std::chrono::milliseconds(ms)); }

std::string plus_minus(size_t added, size_t removed) {
  return "+" + std::to_string(added) + " -" + std::to_string(removed);
}

// The model's summary for the last lines: its first few non-blank lines.
std::vector<std::string> summary_lines(const std::string& text) {
  std::vector<std::string> out;
  size_t chars = 0;
  bool more = false;
  for (const auto& raw : text::split_lines(text)) {
    std::string line(text::trim(raw));
    if (line.empty()) continue;
    if (out.size() == kSummaryLines || chars >= kSummaryChars) {
      more = true;
      break;
    }
    if (chars + line.size() > kSummaryChars) {
      line = line.substr(0, kSummaryChars - chars);
      more = true;
    }
    chars += line.size();
    out.push_back(std::move(line));
    if (more) break;
  }
  if (more && !out.empty()) out.back() += " …";
  return out;
}

}  // namespace

HumanSink::HumanSink(std::FILE* out, bool color, bool quiet, bool verbose)
    : out_(out),
      color_(color),
      quiet_(quiet),
      verbose_(verbose),
      own_terminal_(is_terminal(out)),
      tty_(::isatty(fileno(out)) != 0) {}

void HumanSink::progress(const ev::Progress& e) {
  if (!tty_ || quiet_) return;
  std::string cmd = e.command.substr(0, e.command.find('\n'));
  if (cmd.size() > 60) cmd = cmd.substr(0, 57) + "...";
  std::string line = "… " + std::string(e.what == "tests" ? "running tests" : "running command") + ": " +
                     text::terminal_safe(text::redact(cmd)) + " · " + std::to_string(e.elapsed_ms / 1000) +
                     " s";
  if (color_) line = std::string("\x1b[") + kDim + "m" + line + "\x1b[0m";
  line = "\r\x1b[K" + line;  // over the previous one
  std::fwrite(line.data(), 1, line.size(), out_);
  status_drawn_ = true;
}

void HumanSink::clear_status() {
  if (!status_drawn_) return;
  std::fputs("\r\x1b[K", out_);
  status_drawn_ = false;
}

void HumanSink::print(const char* code, std::string_view line) {
  // Escapes in the text are shown, not obeyed; only our colours reach the terminal.
  std::string s = text::terminal_safe(text::redact(line));
  if (color_ && code) s = std::string("\x1b[") + code + "m" + s + "\x1b[0m";
  s += '\n';
  std::fwrite(s.data(), 1, s.size(), out_);
}

bool is_terminal(std::FILE* f) { return f && ::isatty(::fileno(f)) != 0; }

void HumanSink::print_reviewed(const char* code, std::string_view line) {
  if (!own_terminal_) return print(code, line);
  // The real text (the API key diffsmith holds excepted), marked where redaction would change it.
  std::string s = text::terminal_safe(text::redact(line, {}, text::RedactShapes::No));
  if (color_ && code) s = std::string("\x1b[") + code + "m" + s + "\x1b[0m";
  if (text::secret_like(line)) {
    std::string mark = "  " + std::string(text::kSecretLikeMark);
    s += color_ ? std::string("\x1b[") + kYellow + "m" + mark + "\x1b[0m" : mark;
  }
  s += '\n';
  std::fwrite(s.data(), 1, s.size(), out_);
}

void HumanSink::show(const std::vector<EditStream::Piece>& pieces, int turn) {
  for (const auto& p : pieces) {
    if (p.edit)
      announce(turn, p.text);
    else if (!quiet_)
      print(nullptr, p.text);
  }
  std::fflush(out_);
}

void HumanSink::announce(int turn, const std::string& path) {
  if (quiet_ || !announced_.insert({turn, path}).second) return;
  print(kCyan, path.empty() ? "writing edit …" : "writing edit for " + path + " …");
}

void HumanSink::model_text(std::string_view fragment) {
  if (fragment.empty()) return;
  clear_status();
  streamed_ = true;
  // Only the new fragment can hold a line end: a long line streamed in
  // small fragments must not be rescanned from its start each time.
  size_t from = pending_.size();
  pending_ += fragment;
  size_t start = 0;
  for (size_t nl; (nl = pending_.find('\n', std::max(start, from))) != std::string::npos; start = nl + 1)
    show(stream_.line(std::string_view(pending_).substr(start, nl - start)), turns_ + 1);
  pending_.erase(0, start);
}

void HumanSink::end_text() {
  // The text streams before its model_turn event: it belongs to the next turn.
  if (!pending_.empty()) show(stream_.line(pending_), turns_ + 1);
  pending_.clear();
  show(stream_.end(), turns_ + 1);
}

void HumanSink::print_diff(const std::string& diff) {
  for (const auto& line : text::split_lines(diff)) {
    const char* code = nullptr;
    if (line.starts_with("+++") || line.starts_with("---") || line.starts_with("diff --git"))
      code = "1";
    else if (line.starts_with("+"))
      code = kGreen;
    else if (line.starts_with("-"))
      code = kRed;
    else if (line.starts_with("@@"))
      code = kCyan;
    print_reviewed(code, line);
  }
}

void HumanSink::on_event(const Event& e) {
  if (kind(e) == EventKind::Progress) {
    progress(std::get<ev::Progress>(e));
    std::fflush(out_);
    return;
  }
  clear_status();
  end_text();
  switch (kind(e)) {
    case EventKind::RunStarted:
      started(std::get<ev::RunStarted>(e));
      break;
    case EventKind::Mode:
      mode(std::get<ev::Mode>(e));
      break;
    case EventKind::Tests:
      tests(std::get<ev::Tests>(e));
      break;
    case EventKind::ModelTurn:
      model_turn(std::get<ev::ModelTurn>(e));
      break;
    case EventKind::AssistantText:
      assistant_text(std::get<ev::AssistantText>(e));
      break;
    case EventKind::ToolCall:
      tool_call(std::get<ev::ToolCall>(e));
      break;
    case EventKind::Edit:
      edit(std::get<ev::Edit>(e));
      break;
    case EventKind::Diff:
      diff(std::get<ev::Diff>(e));
      break;
    case EventKind::Checkpoint:
      if (const auto& c = std::get<ev::Checkpoint>(e); !c.commit)
        print(kYellow, "checkpoint failed: " + c.error);
      break;
    case EventKind::Notice:
      print(kYellow, std::get<ev::Notice>(e).message);
      break;
    case EventKind::RunFinished:
      finished(std::get<ev::RunFinished>(e));
      break;
    case EventKind::BatchTask:
      break;
    case EventKind::Reproduction:
      reproduction(std::get<ev::Reproduction>(e));
      break;
    case EventKind::Progress:
      break;
    case EventKind::ToolResult:
      tool_result(std::get<ev::ToolResult>(e));
      break;
  }
  std::fflush(out_);
}

void HumanSink::started(const ev::RunStarted& e) {
  if (quiet_) return;
  std::string tests = e.test_cmd.empty() ? "none (--no-test)" : e.test_cmd;
  if (!e.test_source.empty() && e.test_source != "-t") tests += " (" + e.test_source + ")";
  print("1", "diffsmith run " + e.run_id + " · model " + e.model + " · tests: " + tests);
}

void HumanSink::mode(const ev::Mode& e) {
  if (quiet_) return;
  if (e.mode == "change")
    print(kDim, "the tests pass already: the run ends when the model finishes");
  else if (e.mode == "untested")
    print(kDim, "no tests: the run ends when the model finishes");
}

void HumanSink::tests(const ev::Tests& e) {
  if (e.interrupted) {  // no result: not a failure
    print(kYellow, std::string(e.turn == 0 ? "before any change: " : "") + "test run interrupted (after " +
                       seconds(e.duration_ms) + ")");
    return;
  }
  std::string line = std::string(e.turn == 0 ? "before any change: " : "") +
                     (e.passed ? "tests passed" : "tests failed") + " (exit " + std::to_string(e.exit_code) +
                     ", " + std::to_string(e.duration_ms) + " ms)";
  if (e.timed_out) line += " — timed out";
  if (e.error) line += ": " + *e.error;
  print(e.passed ? "32;1" : "31;1", line);
  if (e.passed || e.error) return;
  // The end of the output (all of it with -v): what the model is working from.
  std::string shown = verbose_ ? e.output : tail_excerpt(e.output, kTestTailLines, SIZE_MAX);
  auto lines = text::split_lines(shown);
  size_t total = text::split_lines(e.output).size();
  if (total > lines.size())
    print(kDim, "  … " + std::to_string(total - lines.size()) + " earlier lines (-v shows them)");
  for (const auto& l : lines) print_reviewed(kDim, "  " + l);  // test ids as they are
}

void HumanSink::reproduction(const ev::Reproduction& e) {
  std::string where = e.tree == "base" ? "on the base tree" : "on the work tree";
  std::string line = "reproduction " + where + ": " + (e.passed ? "passes" : "fails") + " (exit " +
                     std::to_string(e.exit_code) + ") · " + e.command;
  if (e.error) line = "reproduction " + where + " could not run: " + *e.error;
  // On the base it must fail; on the work tree it must pass.
  bool good = (e.tree == "base") != e.passed && !e.error;
  print(good ? "32;1" : "33;1", line);
}

void HumanSink::model_turn(const ev::ModelTurn& e) {
  turns_ = e.turn;
  if (!quiet_) print(kDim, e.status_line);
}

void HumanSink::assistant_text(const ev::AssistantText& e) {
  if (!streamed_) {  // the client did not stream it: show it now, filtered the same way
    for (const auto& l : text::split_lines(e.text)) show(stream_.line(l), e.turn);
    show(stream_.end(), e.turn);
  }
  streamed_ = false;
}

void HumanSink::tool_call(const ev::ToolCall& e) {
  if (e.name == "apply_edits" || e.name == "apply_patch") {
    // The edit text is not shown: the diff is, once it is written.
    auto args = json::parse(e.arguments);
    std::string text = args.ok() ? (*args)[e.name == "apply_edits" ? "edits" : "input"].as_string() : "";
    auto parsed = edit::parse_edits(text);
    for (const auto& b : parsed.blocks) announce(e.turn, b.path);
    for (const auto& op : parsed.ops) announce(e.turn, op.path);
    if (parsed.blocks.empty() && parsed.ops.empty()) announce(e.turn, "");
    return;
  }
  if (quiet_) return;
  if (e.name == "finish") {  // the model's own words, live (also when it gives up)
    auto args = json::parse(e.arguments);
    auto lines = summary_lines(args.ok() ? (*args)["summary"].as_string() : "");
    for (size_t i = 0; i < lines.size(); ++i)
      print(kCyan, (i == 0 ? "→ finish: " : "           ") + lines[i]);
    return;
  }
  std::string args = e.arguments;
  if (args.size() > 120) args = args.substr(0, 117) + "...";
  print(kCyan, "→ " + e.name + " " + args);
}

void HumanSink::tool_result(const ev::ToolResult& e) {
  if (quiet_ || e.name == "finish") return;
  bool edits = e.name == "apply_edits" || e.name == "apply_patch";  // shown as diffs and failed edits
  if (!verbose_ && e.name != "run_command") return;
  std::string head = "← " + e.name + (e.ok ? "" : " failed") + " (" + std::to_string(e.duration_ms) + " ms)";
  if (!e.ok && !edits) head += ": " + e.error;
  print(e.ok ? kDim : kYellow, head);
  if (edits || (!e.ok && e.name != "run_command")) return;
  // run_command: its last lines, the rest with -v; other tools: the excerpt.
  std::string shown = verbose_ ? result_excerpt(e) : tail_excerpt(e.output, kCommandTailLines, SIZE_MAX);
  auto lines = text::split_lines(shown);
  size_t total = text::split_lines(e.output).size();
  if (!verbose_ && total > lines.size())
    print(kDim, "  … " + std::to_string(total - lines.size()) + " earlier lines (-v shows more)");
  for (const auto& l : lines) print(kDim, "  " + l);
}

void HumanSink::edit(const ev::Edit& e) {
  if (e.applied) return;  // shown by the diff that follows
  print(kYellow, "edit failed " + e.path + ": " + e.error);
}

void HumanSink::diff(const ev::Diff& e) {
  if (!quiet_) {
    print_diff(e.diff);
    ++diffs_shown_;
    return;
  }
  auto stats = git::patch_stats(e.diff);
  if (!stats.ok()) return;
  for (const auto& f : *stats)
    print(kGreen, "edited " + f.path + " (" + plus_minus(f.added, f.removed) + ")");
}

void HumanSink::finished(const ev::RunFinished& e) {
  bool good = e.status == "solved" || e.status == "done";
  std::string verdict = "run " + e.status + " after " + std::to_string(e.turns) + " turn(s)";
  if (!e.reason.empty() && e.reason != e.status) verdict += ": " + e.reason;
  print(good ? "32;1" : "31;1", verdict);
  for (const auto& a : e.attempts)  // --attempts
    print(a.winner ? kGreen : kDim,
          "  attempt " + std::to_string(a.attempt) + " (" + a.variation + "): " + a.status + "; " + a.why);
  if (!e.selection.empty()) print(nullptr, "  chosen: " + e.selection);
  if (!e.files.empty()) {
    std::string files;
    for (const auto& f : e.files)
      files += (files.empty() ? "" : ", ") + f.path + " (" + plus_minus(f.added, f.removed) + ")";
    print(nullptr, "  changed: " + files);
  }
  if (!quiet_) {
    // The finish summary only: prose cut mid-turn is no summary.
    auto lines = summary_lines(EditStream::prose_of(e.summary));
    for (size_t i = 0; i < lines.size(); ++i) print(nullptr, (i == 0 ? "  model: " : "         ") + lines[i]);
    if (lines.empty() && e.turns > 0) print(kDim, "  no summary: the model did not call finish");
  }
  if (e.turns > 0) {  // no request, nothing to count or pay
    int64_t prompt = e.prompt_tokens;
    int cached_pct = prompt > 0 ? static_cast<int>(100 * e.cached_tokens / prompt) : 0;
    std::string cost = "cost unknown";
    if (e.cost_usd) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "$%.4f", *e.cost_usd);
      cost = buf;
    }
    print(kDim, "  " + std::to_string(e.turns) + " turn(s) · " + std::to_string(prompt) + " tokens in (" +
                    std::to_string(cached_pct) + "% cached), " + std::to_string(e.completion_tokens) +
                    " out · " + cost + " · " + seconds(e.duration_ms));
  } else {
    print(kDim, "  no model request · " + seconds(e.duration_ms));
  }
  if (!next_hints_) return;
  const char* go_on = "`diffsmith run --continue \"…\"` to go on";
  if (e.status == "interrupted" && !e.files.empty())
    print(nullptr,
          std::string("  next: `diffsmith show` to see what it did · `diffsmith undo` to revert · ") + go_on);
  else if (!e.files.empty() && good && commits_)  // write_outputs commits a solved run's change
    print(nullptr,
          std::string("  next: `git show` to review the commit · `diffsmith undo` to revert it · ") + go_on);
  else if (!e.files.empty())
    print(nullptr, std::string("  next: `git diff` to review · `diffsmith undo` to revert · ") + go_on);
  else if (e.status == "unsolved" || e.status == "no_change" || e.status == "unverified")
    print(nullptr, "  next: `diffsmith run --continue \"…\"` to go on with more guidance");
}

}  // namespace ds::agent
