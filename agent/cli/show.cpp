// `diffsmith show`: the trajectory's records in order, each rendered in a
// line or two; diffs and the model's text in full.
#include "agent/cli/show.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <map>
#include <sstream>

#include "agent/cli/run_history.hpp"
#include "agent/exit_code.hpp"
#include "agent/trajectory.hpp"
#include "base/atomic_write.hpp"
#include "git/diff.hpp"
#include "git/patch_stats.hpp"
#include "text/redact.hpp"
#include "text/terminal.hpp"

namespace ds::agent {
namespace {

constexpr std::string_view kCmd = "show";

// `text` on one line: whitespace runs become one space, cut to `width`.
std::string one_line(const std::string& text, size_t width = 100) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
    if (out.size() >= width) return out + "…";
  }
  return out;
}

// A tool call's JSON arguments as `key="value" …`, strings on one line.
std::string call_arguments(const std::string& raw) {
  auto args = json::parse(raw);
  if (!args || !args->is_object() || args->members().empty()) return one_line(raw);
  std::string out;
  for (const auto& [key, value] : args->members()) {
    if (!out.empty()) out += " ";
    out +=
        key + "=" + (value.is_string() ? "\"" + one_line(value.as_string(), 80) + "\"" : json::dump(value));
  }
  return one_line(out, 160);
}

// The first `n` lines of `text`, and how many more there are.
std::string head_lines(const std::string& text, size_t n) {
  size_t at = 0;
  for (size_t i = 0; i < n && at != std::string::npos; ++i) {
    at = text.find('\n', at);
    if (at != std::string::npos) ++at;
  }
  if (at == std::string::npos || at >= text.size()) return text;
  size_t rest = static_cast<size_t>(std::count(text.begin() + static_cast<long>(at), text.end(), '\n')) +
                (text.back() == '\n' ? 0 : 1);
  return text.substr(0, at) + "… (" + std::to_string(rest) + " more line(s))\n";
}

size_t line_count(const std::string& text) {
  if (text.empty()) return 0;
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + (text.back() == '\n' ? 0 : 1);
}

std::string indent(const std::string& text, const std::string& prefix) {
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    out += prefix + text.substr(at, end - at) + "\n";
    at = end + 1;
  }
  return out;
}

std::string tests_line(const json::Value& e) {
  std::string what = e["turn"].as_int() == 0 ? "tests before any change: " : "tests: ";
  if (e.has("error") && !e["error"].as_string().empty())
    return what + "could not run: " + e["error"].as_string();
  return what +
         (e["passed"].as_bool()      ? "passed"
          : e["timed_out"].as_bool() ? "timed out"
                                     : "failed") +
         " (exit " + std::to_string(e["exit_code"].as_int()) + ", " +
         std::to_string(e["duration_ms"].as_int()) + " ms)";
}

std::string finished_lines(const json::Value& e) {
  const std::string& status = e["status"].as_string();
  const std::string& reason = e["reason"].as_string();  // "interrupted: interrupted" says it once
  std::string s = "\n" + status + (reason.empty() || reason == status ? "" : ": " + reason) + "\n";
  if (std::string said = summary_text(e["summary"].as_string(), e["turns"].as_int()); !said.empty())
    s += "summary: " + said + "\n";
  const json::Value& t = e["tokens"];
  if (e["turns"].as_int() == 0)  // no request: nothing to count or pay
    s += "no model request";
  else
    s += std::to_string(e["turns"].as_int()) + " turn(s) · " + std::to_string(t["prompt"].as_int()) +
         " tokens in (" + std::to_string(t["cached"].as_int()) + " cached), " +
         std::to_string(t["completion"].as_int()) + " out";
  if (e["cost_usd"].is_number() && e["turns"].as_int() > 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, " · $%.4f", e["cost_usd"].as_double());
    s += buf;
  }
  s += " · exit " + std::to_string(e["exit_code"].as_int()) + "\n";
  // --attempts: every attempt, its verification and why the winner won.
  for (const auto& a : e["attempts"].items()) {
    s += std::string(a["winner"].as_bool() ? "  * " : "    ") + "attempt " +
         std::to_string(a["attempt"].as_int()) + " (" + a["variation"].as_string() +
         "): " + a["status"].as_string() + ", " + std::to_string(a["turns"].as_int()) + " turn(s); " +
         a["why"].as_string() + "\n";
  }
  if (!e["selection"].as_string().empty()) s += "chosen: " + e["selection"].as_string() + "\n";
  return s;
}

// On the user's own terminal: the diffs the trajectory holds redacted, as the
// run's checkpoints have them (a diff event's files, from the checkpoint
// before its turn to its turn's). By record index; a diff whose file another
// diff of the same turn also changed keeps its stored text.
std::map<size_t, std::string> real_diffs(git::Repository& repo,
                                         const std::vector<TrajectoryRecord>& records) {
  std::map<size_t, std::string> out;
  std::string before;
  std::vector<size_t> pending;  // the diff events since the last checkpoint
  for (size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    if (r.is_message) continue;
    const std::string& type = r.value["type"].as_string();
    if (type == "run_started") before = r.value["checkpoint"].as_string();
    if (type == "diff") pending.push_back(i);
    if (type != "checkpoint" || !r.value["commit"].is_string()) continue;
    const std::string& after = r.value["commit"].as_string();
    std::map<std::string, int> seen;
    std::vector<std::vector<std::string>> paths;
    for (size_t d : pending) {
      auto stats = git::patch_stats(records[d].value["diff"].as_string());
      paths.emplace_back();
      if (!stats.ok()) continue;
      for (const auto& f : *stats) paths.back().push_back(f.path), ++seen[f.path];
    }
    for (size_t k = 0; k < pending.size(); ++k) {
      const std::string& stored = records[pending[k]].value["diff"].as_string();
      if (before.empty() || paths[k].empty() || stored.find(text::kRedactedMark) == std::string::npos)
        continue;
      if (std::any_of(paths[k].begin(), paths[k].end(), [&](const std::string& p) { return seen[p] > 1; }))
        continue;
      auto real = git::patch_of_paths(repo, before, after, paths[k], UINT64_MAX);
      if (real.ok() && !real->text.empty()) out[pending[k]] = real->text;
    }
    pending.clear();
    before = after;
  }
  return out;
}

// A diff as it is, each line with a secret-like value marked.
std::string marked_diff(const std::string& diff) {
  std::string out;
  size_t at = 0;
  while (at < diff.size()) {
    size_t end = diff.find('\n', at);
    if (end == std::string::npos) end = diff.size();
    std::string_view line(diff.data() + at, end - at);
    std::string shown = text::redact(line, {}, text::RedactShapes::No);  // never the API key
    out += shown;
    if (text::secret_like(line)) out += "  " + std::string(text::kSecretLikeMark);
    out += "\n";
    at = end + 1;
  }
  return out;
}

void render_event(const json::Value& e, std::ostream& out) {
  const std::string& type = e["type"].as_string();
  if (type == "tests") {
    out << tests_line(e) << "\n";
  } else if (type == "mode") {
    out << "mode: " << e["mode"].as_string() << "\n";
  } else if (type == "model_turn") {
    const std::string& line = e["status_line"].as_string();
    out << "\n── " << (line.empty() ? "turn " + std::to_string(e["turn"].as_int()) : line) << "\n";
  } else if (type == "edit" && e["status"].as_string() != "applied") {
    out << "  edit " << e["index"].as_int() << " on " << e["path"].as_string()
        << " failed: " << one_line(e["error"].as_string()) << "\n";
  } else if (type == "diff") {
    out << e["diff"].as_string();
    if (!e["diff"].as_string().empty() && e["diff"].as_string().back() != '\n') out << "\n";
  } else if (type == "notice") {
    out << "note: " << e["message"].as_string() << "\n";
  } else if (type == "run_finished") {
    out << finished_lines(e);
  }
  // run_started, tool_call (shown with the assistant's message), checkpoint: nothing.
}

void render_message(const json::Value& m, bool first_user, std::ostream& out) {
  const std::string& role = m["role"].as_string();
  const std::string& content = m["content"].as_string();
  if (role == "assistant") {
    if (!content.empty()) out << content << (content.back() == '\n' ? "" : "\n");
    for (const auto& call : m["tool_calls"].items())
      out << "→ " << call["name"].as_string() << " " << call_arguments(call["arguments"].as_string()) << "\n";
  } else if (role == "tool") {
    out << "  ← " << m["name"].as_string() << ": " << one_line(content);
    if (size_t n = line_count(content); n > 1) out << " [" << n << " lines]";
    out << "\n";
  } else if (role == "user" && !first_user) {  // feedback (test output) or a follow-up
    out << indent(head_lines(content, 15), "» ");
  }
}

void render(const RunInfo& run, const std::vector<TrajectoryRecord>& records,
            const std::map<size_t, std::string>& real, std::ostream& out) {
  out << "run " << run.id << " · " << format_local_time(run.started);
  if (!run.model.empty()) out << " · " << run.model;
  out << "\n";
  for (const auto& r : records) {
    if (r.is_message || r.value["type"].as_string() != "run_started") continue;
    std::string test = r.value["test_cmd"].as_string();
    out << "test command: "
        << (test.empty() ? "none (--no-test)" : test + " (" + r.value["test_source"].as_string() + ")")
        << "\n";
  }
  out << "task:\n" << indent(run.task, "  ") << "\n";
  // A follow-up's trajectory opens with the conversation it continues: every
  // message before its own instruction (the last message before its first
  // model turn). Marked, so it is not read as this run's.
  std::string parent;
  size_t parent_end = 0;  // records before this index hold the parent's messages
  for (size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    if (r.is_message) {
      if (!parent.empty()) parent_end = i;
      continue;
    }
    const std::string& type = r.value["type"].as_string();
    if (type == "run_started") parent = r.value["continues"].as_string();
    if (type == "model_turn" || type == "run_finished") break;
  }
  if (parent.empty()) parent_end = 0;
  bool seen_user = false, finished = false;
  for (size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    if (r.is_message && i < parent_end && !seen_user)
      out << "── continued from run " << parent << ": its conversation ──\n";
    if (i == parent_end && parent_end > 0) out << "── run " << run.id << " (this run) ──\n";
    if (r.is_message) {
      bool first_user = r.value["role"].as_string() == "user" && !seen_user;
      if (r.value["role"].as_string() == "user") seen_user = true;
      render_message(r.value, first_user, out);
    } else {
      finished = finished || r.value["type"].as_string() == "run_finished";
      if (auto it = real.find(i); it != real.end())
        out << marked_diff(it->second);
      else
        render_event(r.value, out);
    }
  }
  if (!finished) out << "\nunfinished: the run has no end (killed, or still running)\n";
}

}  // namespace

int run_show_command(const ShowCommandOptions& o, std::ostream& out, std::ostream& err) {
  auto repo = git::Repository::open(o.dir);
  if (!repo) return fail(err, kCmd, repo.error().message, ExitCode::Repository);
  auto runs = list_runs(*repo);
  if (!runs) return fail(err, kCmd, runs.error().message, ExitCode::Repository);
  auto it = o.run.empty()
                ? runs->begin()
                : std::find_if(runs->begin(), runs->end(), [&](const RunInfo& r) { return r.id == o.run; });
  if (it == runs->end())
    return fail(err, kCmd,
                o.run.empty() ? "no diffsmith run is recorded in " + repo->root()
                              : "no run '" + o.run + "' in " + repo->root() + " (see `diffsmith log`)",
                ExitCode::Usage);
  if (it->trajectory.empty())
    return fail(err, kCmd, "run " + it->id + " has no trajectory file (nothing was recorded of what it did)",
                ExitCode::Repository);
  if (o.json) {
    auto bytes = read_file_raw(it->trajectory);
    if (!bytes || !*bytes)
      return fail(err, kCmd, "cannot read the run's trajectory " + it->trajectory, ExitCode::Repository);
    out << **bytes;
    return to_int(ExitCode::Ok);
  }
  auto records = read_trajectory_records(it->trajectory);
  if (!records) return fail(err, kCmd, records.error().message, ExitCode::Repository);
  // The model's text and the diffs may hold escape sequences: shown, not obeyed.
  // On the user's own terminal, the change as it is (the trajectory holds it redacted).
  std::map<size_t, std::string> real;
  if (&out == &std::cout && ::isatty(STDOUT_FILENO)) real = real_diffs(*repo, *records);
  std::ostringstream rendered;
  render(*it, *records, real, rendered);
  out << text::terminal_safe(rendered.str());
  return to_int(ExitCode::Ok);
}

}  // namespace ds::agent
