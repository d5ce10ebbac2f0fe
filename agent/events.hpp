// Run events: one typed struct per thing that happened in a run, as listed in
// docs/events.md (the JSON each one becomes is an interface: to_json() writes
// exactly the documented fields, in order). The session builds them; sinks
// (agent/sinks.hpp) switch on their EventKind to print them as JSONL (--json),
// as human progress, or into the trajectory file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "json/value.hpp"

namespace ds::agent {

namespace ev {

// After the start checkpoint.
struct RunStarted {
  std::string run_id, model, repo;
  std::string test_cmd;     // "" with --no-test
  std::string test_source;  // "-t", "detected from pyproject.toml" …
  std::string edit_format;  // "search-replace" | "patch"
  std::string checkpoint;   // the start commit
  std::string continues;    // the run this one follows up (--continue, -i); "" = none
  std::string task;         // the task, or a follow-up's instruction
};

// After the first test run: "fix", "change" or "untested".
struct Mode {
  std::string mode;
};

// Every test run (turn 0: before any change).
struct Tests {
  // The bounded excerpt of the output in the JSON: its last kTailLines lines,
  // and of those at most the last kTailBytes bytes.
  static constexpr size_t kTailLines = 40, kTailBytes = 4096;
  int turn = 0;
  int exit_code = -1;
  bool passed = false, timed_out = false;
  int64_t duration_ms = 0;
  std::optional<std::string> error;  // the command could not start
  bool interrupted = false;          // stopped by Ctrl-C/SIGTERM: no result
  std::string output;                // in memory only: the whole (capped) output
  // Against the first run, when both runs' failures could be read
  // (agent/test_results.hpp): tests failing now that did not fail then.
  std::optional<std::vector<std::string>> regressions;
};

// set_reproduction's check on the base tree, and each later check of the
// reproduction on the work tree (--reproduce).
struct Reproduction {
  int turn = 0;
  std::string command;
  std::vector<std::string> files;
  std::string tree;  // "base" or "work"
  int exit_code = -1;
  bool passed = false;
  int64_t duration_ms = 0;
  std::optional<std::string> error;  // it could not be run
  std::string output;                // in memory only
};

// Each model reply.
struct ModelTurn {
  int turn = 0;
  std::string finish_reason;
  int64_t prompt_tokens = 0, cached_tokens = 0, completion_tokens = 0;
  std::optional<double> cost_usd;  // null when the price is unknown
  int64_t latency_ms = 0;
  std::string request_id, status_line;
};

// The model's text of one turn, whole (after model_turn; not sent when empty).
struct AssistantText {
  int turn = 0;
  std::string text;
};

// Each tool call that runs.
struct ToolCall {
  int turn = 0;
  std::string name;
  std::string arguments;  // the raw JSON text
  std::string call_id;    // the model's id of the call: its tool_result has the same
};

// After each tool call that ran: what the model was answered.
struct ToolResult {
  // The excerpt in the JSON: the start of the answer (the end for
  // run_command and run_tests, whose last lines matter), at most
  // kExcerptLines lines and kExcerptBytes bytes.
  static constexpr size_t kExcerptLines = 20, kExcerptBytes = 2048;
  int turn = 0;
  std::string call_id, name;
  bool ok = true;
  std::string error;   // the first line of the answer when not ok
  std::string output;  // in memory only: the whole answer
  int64_t duration_ms = 0;
  bool tail_first() const { return name == "run_command" || name == "run_tests"; }
};

// Each edit block.
struct Edit {
  int turn = 0, index = 0;
  std::string path;
  bool applied = false;  // "applied" / "failed"
  std::string level, error;
  std::string note;  // sent only when not empty
};

// Edits were written.
struct Diff {
  int turn = 0;
  std::string diff;
  std::string source;  // "run_command" for files a command wrote; "" (not sent) for edits
};

// After a turn that changed files, and at the end.
struct Checkpoint {
  int turn = 0;
  std::string ref;
  std::optional<std::string> commit;  // or error
  std::string error;
};

// Anything the user should know.
struct Notice {
  std::string message;
};

// A test run (`what` "tests") or a model's command ("command") still
// running: about once a second in memory; --json writes one every
// kJsonEveryMs, the trajectory none.
struct Progress {
  static constexpr int64_t kJsonEveryMs = 5000;
  int turn = 0;
  std::string what, command;
  int64_t elapsed_ms = 0;
};

struct FileChange {
  std::string path;
  size_t added = 0, removed = 0;
};

// Last.
struct RunFinished {
  std::string status, reason;
  std::optional<std::string> mode;  // null: the run ended before its first test run decided one
  bool tested = false;
  int turns = 0;
  int64_t prompt_tokens = 0, cached_tokens = 0, completion_tokens = 0;
  std::optional<double> cost_usd;
  int exit_code = 0;
  std::string summary, diff;
  std::vector<FileChange> files;  // the files of `diff`, with lines added and removed
  int64_t duration_ms = 0;        // wall time of the run
  // --reproduce: the reproduction (command, files, the diff that creates
  // them, left out of `diff` unless --keep-repro) and what it showed.
  struct Repro {
    std::string command, diff;
    std::vector<std::string> files;
    bool failed_on_base = false, passes_at_end = false;
  };
  std::optional<Repro> reproduction;
  std::vector<std::string> flaky;  // tests that failed, then passed on the unchanged tree
  // --attempts N (N > 1): every attempt, its verification and why the winner won.
  struct Attempt {
    int attempt = 0;        // 1-based
    std::string variation;  // how its sampling differed ("temperature 0.7, edit format patch")
    std::string status, reason, diff, repro_command;
    int turns = 0;
    std::optional<double> cost_usd;
    bool repro_failed_on_base = false, repro_passes_at_end = false;
    std::vector<int> fails_reproduction_of;  // 1-based attempts whose reproduction its change fails
    bool winner = false;
    std::string why;  // why it won or lost
  };
  std::vector<Attempt> attempts;
  std::string selection;  // why the winner won; "" without --attempts
};

// `diffsmith batch`: the head of a task's trajectory.
struct BatchTask {
  std::string id, repo, base_commit, checkout, test_cmd;
  std::vector<std::string> test_files;
  std::string test_source;    // "--test-cmd", "detected from pytest.ini", "none" …
  bool oracle_tests = false;  // --oracle-tests: test_patch applied, test ids given
  bool hints = false;         // --hints: hints_text in the task
};

}  // namespace ev

enum class EventKind {
  RunStarted,
  Mode,
  Tests,
  ModelTurn,
  AssistantText,
  ToolCall,
  Edit,
  Diff,
  Checkpoint,
  Notice,
  RunFinished,
  BatchTask,
  Reproduction,
  Progress,
  ToolResult,
};

// The alternatives are in EventKind's order: kind() is the index.
using Event = std::variant<ev::RunStarted, ev::Mode, ev::Tests, ev::ModelTurn, ev::AssistantText,
                           ev::ToolCall, ev::Edit, ev::Diff, ev::Checkpoint, ev::Notice, ev::RunFinished,
                           ev::BatchTask, ev::Reproduction, ev::Progress, ev::ToolResult>;

inline EventKind kind(const Event& e) { return static_cast<EventKind>(e.index()); }

// The event's `type` in JSON ("run_started" …).
const char* type_name(EventKind k);

// The documented JSON object of an event (docs/events.md).
json::Value to_json(const Event& e);

// The last `max_lines` lines of `text`, then at most its last `max_bytes`
// bytes (cut at a line start when one is in reach).
std::string tail_excerpt(std::string_view text, size_t max_lines, size_t max_bytes);

// The first `max_lines` lines of `text`, then at most its first `max_bytes`
// bytes (cut at a line end when one is in reach), "…" when cut.
std::string head_excerpt(std::string_view text, size_t max_lines, size_t max_bytes);

// A tool result's excerpt (ev::ToolResult's bounds and end).
std::string result_excerpt(const ev::ToolResult& e);

class EventSink {
 public:
  virtual ~EventSink() = default;
  void event(const Event& e) { on_event(e); }
  virtual void model_text(std::string_view fragment) { (void)fragment; }  // streamed text
  virtual void message(const json::Value& m) { (void)m; }  // a conversation message (trajectory only)

 protected:
  virtual void on_event(const Event& e) = 0;
};

class FanoutSink final : public EventSink {
 public:
  void add(EventSink* s) { sinks_.push_back(s); }
  void model_text(std::string_view f) override {
    for (auto* s : sinks_) s->model_text(f);
  }
  void message(const json::Value& m) override {
    for (auto* s : sinks_) s->message(m);
  }

 protected:
  void on_event(const Event& e) override {
    for (auto* s : sinks_) s->event(e);
  }

 private:
  std::vector<EventSink*> sinks_;
};

// Whether to colour output on `f`: a TTY and NO_COLOR unset.
bool use_color(std::FILE* f);

}  // namespace ds::agent
