// The two JSON sinks: --json on stdout, and the trajectory file.
#include "agent/sinks.hpp"
#include "text/redact.hpp"

namespace ds::agent {

namespace {
void write_line(std::FILE* f, const json::Value& v) {
  std::string line = text::redact_json(json::dump(v));
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), f);
  std::fflush(f);
}
}  // namespace

void JsonlSink::on_event(const Event& e) {
  // Progress: at most one every kJsonEveryMs of one running command.
  if (const auto* p = std::get_if<ev::Progress>(&e)) {
    if (p->elapsed_ms < progress_written_ms_) progress_written_ms_ = 0;  // another command
    if (p->elapsed_ms - progress_written_ms_ < ev::Progress::kJsonEveryMs) return;
    progress_written_ms_ = p->elapsed_ms;
  } else {
    progress_written_ms_ = 0;
  }
  write_line(out_, to_json(e));
}

TrajectorySink::TrajectorySink(const std::string& path) { f_ = std::fopen(path.c_str(), "ab"); }

TrajectorySink::~TrajectorySink() {
  if (f_) std::fclose(f_);
}

void TrajectorySink::write(const json::Value& v) {
  if (f_) write_line(f_, v);
}

void TrajectorySink::on_event(const Event& e) {
  if (kind(e) == EventKind::Progress) return;  // what ran is in the events that follow
  write(json::Value::object().set("event", to_json(e)));
}
void TrajectorySink::message(const json::Value& m) { write(json::Value::object().set("message", m)); }

}  // namespace ds::agent
