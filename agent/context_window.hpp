// What the model is sent of the conversation: the whole of it, except that
// tool outputs and test outputs older than the last K turns are collapsed to
// one-line stubs (what it was, how to get it again). The model's own
// messages, its tool calls (edits included) and the edit tools' results are
// kept; every tool result stays paired with its call, only its text changes.
//
// Collapse moves in blocks of B turns: nothing changes until the uncollapsed
// tail is longer than K + B turns, then the oldest B of them collapse at once.
// Between two collapses the request's prefix is byte-identical, so the prompt
// cache keeps hitting; a collapse changes the text only from its block on.
// A token ceiling collapses further blocks (never the newest turn) while the
// request is estimated above it; a context-length error collapses everything
// but the newest turn.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "agent/config/context_options.hpp"
#include "llm/types.hpp"

namespace ds::agent {

// What one step collapsed.
struct Collapsed {
  size_t outputs = 0;  // tool results and test outputs newly collapsed
  int first_turn = 0, last_turn = 0;
  size_t tokens_saved = 0;  // estimated
  bool empty() const { return outputs == 0; }
};

class ContextWindow {
 public:
  explicit ContextWindow(CollapseOptions o = {}) : o_(o) {}

  // Records `all.back()`, just appended to the conversation. For a user
  // message, `test_outputs` are the parts of its text that are test output.
  void added(const std::vector<llm::Message>& all, const std::vector<std::string>& test_outputs = {});

  // Before a request: collapses whole blocks when the uncollapsed tail is
  // longer than K + B turns, then more while the request is above the
  // ceiling. Nothing when collapse is off.
  Collapsed update(const std::vector<llm::Message>& all);
  // After a context-length error: everything collapsible but the newest turn
  // (even with collapse off).
  Collapsed collapse_all_but_newest(const std::vector<llm::Message>& all);

  // The conversation as the request carries it.
  std::vector<llm::Message> view(const std::vector<llm::Message>& all) const;

  int turns() const { return turn_; }
  int collapsed_through() const { return through_; }  // turns up to this one are collapsed

 private:
  struct Entry {
    int turn = 0;
    std::string stub;  // the collapsed content; "" when the message is kept
  };
  Collapsed collapse_through(int turn, const std::vector<llm::Message>& all);
  size_t estimate(const std::vector<llm::Message>& all) const;

  CollapseOptions o_;
  std::vector<Entry> entries_;  // one per message
  int turn_ = 0;                // assistant messages so far
  int through_ = 0;             // turns <= through_ are collapsed
};

// The one-line stub of a tool result (exposed for tests).
std::string tool_stub(const std::string& tool, const std::string& arguments, const std::string& content,
                      int turn);

}  // namespace ds::agent
