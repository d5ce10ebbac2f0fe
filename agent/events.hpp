// Run events: one JSON object per thing that happened (run_started,
// model_turn, tool_call, edit, tests, checkpoint, run_finished). Sinks print
// them as JSONL (--json), as human progress, or into the trajectory file.
// Every sink passes what it writes through text::redact (the API key and
// well-known secret shapes become "[redacted]").
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "json/value.hpp"

namespace ds::agent {

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void event(const json::Value& e) = 0;                           // e["type"] names it
  virtual void model_text(std::string_view fragment) { (void)fragment; }  // streamed text
  virtual void message(const json::Value& m) { (void)m; }  // a conversation message (trajectory only)
};

// --json: one compact JSON object per line on `out`, flushed.
class JsonlSink final : public EventSink {
 public:
  explicit JsonlSink(std::FILE* out) : out_(out) {}
  void event(const json::Value& e) override;

 private:
  std::FILE* out_;
};

// Human progress on stderr: streamed model text, coloured diffs of applied
// edits, test results, a status line per turn.
class HumanSink final : public EventSink {
 public:
  HumanSink(std::FILE* out, bool color, bool quiet) : out_(out), color_(color), quiet_(quiet) {}
  ~HumanSink() override { flush_text(); }
  void event(const json::Value& e) override;
  // Printed a whole line at a time, so a secret split across fragments is
  // still seen whole by the redaction.
  void model_text(std::string_view fragment) override;

 private:
  void flush_text();
  void print_diff(const std::string& diff);
  std::string paint(const char* code, const std::string& s) const;
  std::FILE* out_;
  bool color_, quiet_;
  bool mid_line_ = false;  // streamed text left the cursor mid-line
  std::string pending_;    // streamed text after the last newline, not yet printed
};

// Every message and event, one JSON object per line, in
// .git/diffsmith/runs/<run-id>.jsonl. Lines are written whole and flushed.
class TrajectorySink final : public EventSink {
 public:
  explicit TrajectorySink(const std::string& path);
  ~TrajectorySink() override;
  bool ok() const { return f_ != nullptr; }
  void event(const json::Value& e) override;
  void message(const json::Value& m) override;

 private:
  void write(const json::Value& v);
  std::FILE* f_ = nullptr;
};

class FanoutSink final : public EventSink {
 public:
  void add(EventSink* s) { sinks_.push_back(s); }
  void event(const json::Value& e) override {
    for (auto* s : sinks_) s->event(e);
  }
  void model_text(std::string_view f) override {
    for (auto* s : sinks_) s->model_text(f);
  }
  void message(const json::Value& m) override {
    for (auto* s : sinks_) s->message(m);
  }

 private:
  std::vector<EventSink*> sinks_;
};

// Whether to colour output on `f`: a TTY and NO_COLOR unset.
bool use_color(std::FILE* f);

}  // namespace ds::agent
