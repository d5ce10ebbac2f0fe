// Event sinks: JSONL, human-readable progress, trajectory file.
#include "agent/events.hpp"

#include <unistd.h>

#include <cstdlib>

#include "text/redact.hpp"

namespace ds::agent {

bool use_color(std::FILE* f) {
  const char* no = std::getenv("NO_COLOR");
  if (no && *no) return false;
  return isatty(fileno(f)) != 0;
}

void JsonlSink::event(const json::Value& e) {
  std::string line = text::redact_json(json::dump(e));
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

std::string HumanSink::paint(const char* code, const std::string& s) const {
  if (!color_) return s;
  return std::string("\x1b[") + code + "m" + s + "\x1b[0m";
}

void HumanSink::model_text(std::string_view fragment) {
  if (quiet_ || fragment.empty()) return;
  pending_ += fragment;
  size_t nl = pending_.rfind('\n');
  if (nl == std::string::npos) return;
  std::string lines = text::redact(std::string_view(pending_).substr(0, nl + 1));
  pending_.erase(0, nl + 1);
  std::fwrite(lines.data(), 1, lines.size(), out_);
  mid_line_ = false;
  std::fflush(out_);
}

void HumanSink::flush_text() {
  if (pending_.empty()) return;
  std::string rest = text::redact(pending_);
  pending_.clear();
  std::fwrite(rest.data(), 1, rest.size(), out_);
  mid_line_ = true;
  std::fflush(out_);
}

void HumanSink::print_diff(const std::string& diff) {
  size_t start = 0;
  while (start < diff.size()) {
    size_t nl = diff.find('\n', start);
    if (nl == std::string::npos) nl = diff.size();
    std::string line = diff.substr(start, nl - start);
    start = nl + 1;
    const char* code = nullptr;
    if (line.rfind("+++", 0) == 0 || line.rfind("---", 0) == 0 || line.rfind("diff --git", 0) == 0)
      code = "1";
    else if (!line.empty() && line[0] == '+')
      code = "32";
    else if (!line.empty() && line[0] == '-')
      code = "31";
    else if (line.rfind("@@", 0) == 0)
      code = "36";
    std::string out = code ? paint(code, line) : line;
    std::fprintf(out_, "%s\n", out.c_str());
  }
}

void HumanSink::event(const json::Value& raw) {
  // Redacted as a whole, so every field printed below is.
  auto parsed = json::parse(text::redact_json(json::dump(raw)));
  if (!parsed.ok()) return;  // cannot happen: redact_json keeps JSON valid
  const json::Value& e = *parsed;
  flush_text();
  const std::string& type = e["type"].as_string();
  if (mid_line_) {
    std::fputc('\n', out_);
    mid_line_ = false;
  }
  if (type == "run_started") {
    std::string tests = e["test_cmd"].as_string().empty() ? "none (--no-test)" : e["test_cmd"].as_string();
    if (!e["test_source"].as_string().empty() && e["test_source"].as_string() != "-t")
      tests += " (" + e["test_source"].as_string() + ")";
    std::fprintf(out_, "%s\n",
                 paint("1", "diffsmith run " + e["run_id"].as_string() + " · model " +
                                e["model"].as_string() + " · tests: " + tests)
                     .c_str());
  } else if (type == "mode") {
    const std::string& mode = e["mode"].as_string();
    if (mode == "change")
      std::fprintf(out_, "%s\n",
                   paint("2", "the tests pass already: the run ends when the model finishes").c_str());
    else if (mode == "untested")
      std::fprintf(out_, "%s\n", paint("2", "no tests: the run ends when the model finishes").c_str());
  } else if (type == "tests") {
    bool passed = e["passed"].as_bool();
    std::string line = std::string(e["turn"].as_int() == 0 ? "before any change: " : "") +
                       (passed ? "tests passed" : "tests failed") + " (exit " +
                       std::to_string(e["exit_code"].as_int()) + ", " +
                       std::to_string(e["duration_ms"].as_int()) + " ms)";
    if (e["timed_out"].as_bool()) line += " — timed out";
    std::fprintf(out_, "%s\n", paint(passed ? "32;1" : "31;1", line).c_str());
  } else if (type == "edit") {
    bool ok = e["status"].as_string() == "applied";
    std::string line = (ok ? "edited " : "edit failed ") + e["path"].as_string();
    if (ok)
      line += " (" + e["level"].as_string() + ")";
    else
      line += ": " + e["error"].as_string();
    if (!quiet_ || !ok) std::fprintf(out_, "%s\n", paint(ok ? "32" : "33", line).c_str());
  } else if (type == "diff") {
    if (!quiet_) print_diff(e["diff"].as_string());
  } else if (type == "tool_call") {
    if (!quiet_) {
      std::string args = e["arguments"].as_string();
      if (args.size() > 120) args = args.substr(0, 117) + "...";
      std::fprintf(out_, "%s\n", paint("36", "→ " + e["name"].as_string() + " " + args).c_str());
    }
  } else if (type == "model_turn") {
    std::fprintf(out_, "%s\n", paint("2", e["status_line"].as_string()).c_str());
  } else if (type == "notice") {
    std::fprintf(out_, "%s\n", paint("33", e["message"].as_string()).c_str());
  } else if (type == "run_finished") {
    std::string status = e["status"].as_string();
    std::string line = "run " + status + " after " + std::to_string(e["turns"].as_int()) + " turn(s)";
    if (e["cost_usd"].is_number()) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "$%.4f", e["cost_usd"].as_double());
      line += ", " + std::string(buf);
    }
    if (!e["reason"].as_string().empty()) line += ": " + e["reason"].as_string();
    bool good = status == "solved" || status == "done";
    std::fprintf(out_, "%s\n", paint(good ? "32;1" : "31;1", line).c_str());
    std::string summary = e["summary"].as_string();
    if (!summary.empty() && !quiet_) {
      if (summary.size() > 600) summary = summary.substr(0, 597) + "...";
      std::fprintf(out_, "%s\n", summary.c_str());
    }
  }
  std::fflush(out_);
}

TrajectorySink::TrajectorySink(const std::string& path) { f_ = std::fopen(path.c_str(), "ab"); }

TrajectorySink::~TrajectorySink() {
  if (f_) std::fclose(f_);
}

void TrajectorySink::write(const json::Value& v) {
  if (!f_) return;
  std::string line = text::redact_json(json::dump(v));
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), f_);
  std::fflush(f_);
}

void TrajectorySink::event(const json::Value& e) { write(json::Value::object().set("event", e)); }
void TrajectorySink::message(const json::Value& m) { write(json::Value::object().set("message", m)); }

}  // namespace ds::agent
