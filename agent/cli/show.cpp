// `diffsmith show`: the trajectory's records in order, each rendered in a
// line or two; diffs and the model's text in full.
#include "agent/cli/show.hpp"

#include <algorithm>
#include <iostream>
#include <sstream>

#include "agent/cli/run_history.hpp"
#include "agent/exit_code.hpp"
#include "agent/trajectory.hpp"
#include "git/file_io.hpp"
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
  std::string s = "\n" + e["status"].as_string() + ": " + e["reason"].as_string() + "\n";
  if (!e["summary"].as_string().empty()) s += "summary: " + e["summary"].as_string() + "\n";
  const json::Value& t = e["tokens"];
  s += std::to_string(e["turns"].as_int()) + " turn(s) · " + std::to_string(t["prompt"].as_int()) +
       " tokens in (" + std::to_string(t["cached"].as_int()) + " cached), " +
       std::to_string(t["completion"].as_int()) + " out";
  if (e["cost_usd"].is_number()) {
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

void render(const RunInfo& run, const std::vector<TrajectoryRecord>& records, std::ostream& out) {
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
  bool seen_user = false, finished = false;
  for (const auto& r : records) {
    if (r.is_message) {
      bool first_user = r.value["role"].as_string() == "user" && !seen_user;
      if (r.value["role"].as_string() == "user") seen_user = true;
      render_message(r.value, first_user, out);
    } else {
      finished = finished || r.value["type"].as_string() == "run_finished";
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
    auto bytes = git::read_file_raw(it->trajectory);
    if (!bytes || !*bytes)
      return fail(err, kCmd, "cannot read the run's trajectory " + it->trajectory, ExitCode::Repository);
    out << **bytes;
    return to_int(ExitCode::Ok);
  }
  auto records = read_trajectory_records(it->trajectory);
  if (!records) return fail(err, kCmd, records.error().message, ExitCode::Repository);
  // The model's text and the diffs may hold escape sequences: shown, not obeyed.
  std::ostringstream rendered;
  render(*it, *records, rendered);
  out << text::terminal_safe(rendered.str());
  return to_int(ExitCode::Ok);
}

}  // namespace ds::agent
