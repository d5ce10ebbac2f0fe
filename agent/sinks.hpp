// Where run events go: JSONL on stdout (--json), human progress on stderr,
// the trajectory file. Every sink passes what it writes through text::redact
// (the API key and well-known secret shapes become "[redacted]").
#pragma once

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "agent/events.hpp"
#include "agent/sinks/edit_stream.hpp"

namespace ds::agent {

// --json: one compact JSON object per line on `out`, flushed.
class JsonlSink final : public EventSink {
 public:
  explicit JsonlSink(std::FILE* out) : out_(out) {}

 protected:
  void on_event(const Event& e) override;

 private:
  std::FILE* out_;
  int64_t progress_written_ms_ = 0;  // elapsed_ms of the last progress event written
};

// Every message and event, one JSON object per line, in
// .git/diffsmith/runs/<run-id>.jsonl. Lines are written whole and flushed.
class TrajectorySink final : public EventSink {
 public:
  explicit TrajectorySink(const std::string& path);
  ~TrajectorySink() override;
  bool ok() const { return f_ != nullptr; }
  void message(const json::Value& m) override;

 protected:
  void on_event(const Event& e) override;

 private:
  void write(const json::Value& v);
  std::FILE* f_ = nullptr;
};

// Whether `f` is a terminal (the person who ran diffsmith reads it).
bool is_terminal(std::FILE* f);

// The session for a person, on stderr (agent/sinks/human.cpp): the model's
// prose as it streams, one `writing edit for PATH …` line per edited file
// instead of the edit text, each written change as a coloured diff, test
// results (with the end of a failing run's output: 15 lines, all of it when
// `verbose`), and a summary at the end. Control characters in any of it are
// shown as escapes (text::terminal_safe): only our colours reach the terminal.
// On the user's own terminal the diffs and the test output are shown as they
// are (only the API key diffsmith was given stays redacted), each line with a
// secret-like value marked (text::kSecretLikeMark); anywhere else (a log, a
// pipe) they are redacted like everything else.
// Tool results: run_command's last lines always, every result's excerpt
// with `verbose`.
// `quiet` (-q) keeps only edits (one `edited PATH (+a -b)` line per file, and
// failed blocks), test results, notices and the summary without the model's text.
// While tests or a command run, a terminal (never a pipe, not with -q) shows
// one status line with what runs and for how long, redrawn in place and
// erased before anything else is printed.
class HumanSink final : public EventSink {
 public:
  HumanSink(std::FILE* out, bool color, bool quiet, bool verbose = false);
  ~HumanSink() override { end_text(); }
  // Printed a whole line at a time, so a secret split across fragments is
  // still seen whole by the redaction.
  void model_text(std::string_view fragment) override;
  // Every change the run wrote was shown as a diff (so a TTY user need not
  // see the final diff again).
  bool showed_every_change() const { return !quiet_ && diffs_shown_ > 0; }
  // The summary's `next:` line: `git show` for a run that commits its change
  // (--commit, --branch); none at all where the repository will be gone (demo).
  void own_terminal(bool yes) { own_terminal_ = yes; }  // tests: as if on a terminal
  void next_hints(bool show, bool commits) { next_hints_ = show, commits_ = commits; }

 protected:
  void on_event(const Event& e) override;

 private:
  void started(const ev::RunStarted& e);
  void mode(const ev::Mode& e);
  void tests(const ev::Tests& e);
  void reproduction(const ev::Reproduction& e);
  void model_turn(const ev::ModelTurn& e);
  void assistant_text(const ev::AssistantText& e);
  void tool_call(const ev::ToolCall& e);
  void tool_result(const ev::ToolResult& e);
  void edit(const ev::Edit& e);
  void diff(const ev::Diff& e);
  void finished(const ev::RunFinished& e);

  void show(const std::vector<EditStream::Piece>& pieces, int turn);
  void announce(int turn, const std::string& path);
  void end_text();                                      // the streamed text is over (an event came)
  void print(const char* code, std::string_view line);  // redacted, painted, '\n'
  void print_diff(const std::string& diff);
  void progress(const ev::Progress& e);                          // the status line
  void clear_status();                                           // erases it, when drawn
  void print_reviewed(const char* code, std::string_view line);  // as it is on the own terminal, marked

  std::FILE* out_;
  bool color_, quiet_, verbose_, own_terminal_;
  EditStream stream_;
  std::string pending_;                              // streamed text after the last newline
  bool streamed_ = false;                            // text streamed since the last assistant_text
  int turns_ = 0;                                    // model_turn events so far
  std::set<std::pair<int, std::string>> announced_;  // (turn, path) of `writing edit` lines
  int diffs_shown_ = 0;
  bool tty_ = false;           // out_ is a terminal: the status line may be drawn
  bool status_drawn_ = false;  // the status line is on the screen
  bool next_hints_ = true, commits_ = false;
};

}  // namespace ds::agent
