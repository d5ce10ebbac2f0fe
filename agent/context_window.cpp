// Collapsing old tool and test outputs (agent/context_window.hpp).
#include "agent/context_window.hpp"

#include <algorithm>

#include "text/tokens.hpp"

namespace ds::agent {
namespace {

size_t line_count(const std::string& text) {
  if (text.empty()) return 0;
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + (text.back() == '\n' ? 0 : 1);
}

std::string size_text(const std::string& content) {
  return std::to_string(line_count(content)) + " lines, ~" + std::to_string(text::estimate_tokens(content)) +
         " tokens";
}

// Edits and what they did stay: the model needs them to know the files.
bool kept_tool(const std::string& name) {
  return name == "apply_edits" || name == "apply_patch" || name == "finish";
}

// The arguments of call `id` in the assistant message before `at`.
const llm::ToolCall* find_call(const std::vector<llm::Message>& all, size_t at, const std::string& id) {
  for (size_t i = at; i-- > 0;) {
    if (all[i].role != llm::Role::Assistant) continue;
    for (const auto& c : all[i].tool_calls)
      if (c.id == id) return &c;
    return nullptr;
  }
  return nullptr;
}

}  // namespace

std::string tool_stub(const std::string& tool, const std::string& arguments, const std::string& content,
                      int turn) {
  std::string again = "call " + tool;
  if (!arguments.empty() && arguments != "{}" && arguments.size() <= 200 &&
      arguments.find('\n') == std::string::npos)
    again += " " + arguments;
  return "[collapsed: " + tool + " output of turn " + std::to_string(turn) + " (" + size_text(content) +
         "); " + again + " again to see it]";
}

void ContextWindow::added(const std::vector<llm::Message>& all,
                          const std::vector<std::string>& test_outputs) {
  if (all.empty()) return;
  const llm::Message& m = all.back();
  if (m.role == llm::Role::Assistant) ++turn_;
  Entry e;
  e.turn = turn_;
  if (turn_ > 0 && m.role == llm::Role::Tool && !kept_tool(m.name) && m.content.size() >= o_.min_bytes) {
    const llm::ToolCall* call = find_call(all, all.size() - 1, m.tool_call_id);
    e.stub = tool_stub(m.name, call ? call->arguments : "", m.content, turn_);
  } else if (turn_ > 0 && m.role == llm::Role::User) {
    std::string stub = m.content;
    bool changed = false;
    for (const auto& out : test_outputs) {
      if (out.size() < o_.min_bytes) continue;
      size_t at = stub.find(out);
      if (at == std::string::npos) continue;
      stub.replace(at, out.size(),
                   "[collapsed: test output of turn " + std::to_string(turn_) + " (" + size_text(out) +
                       "); call run_tests to see the tests' result now]");
      changed = true;
    }
    if (changed) e.stub = std::move(stub);
  }
  entries_.push_back(std::move(e));
}

Collapsed ContextWindow::collapse_through(int turn, const std::vector<llm::Message>& all) {
  Collapsed c;
  turn = std::min(turn, turn_ - 1);  // never the newest turn
  if (turn <= through_) return c;
  for (size_t i = 0; i < entries_.size() && i < all.size(); ++i) {
    const Entry& e = entries_[i];
    if (e.stub.empty() || e.turn <= through_ || e.turn > turn) continue;
    if (c.outputs++ == 0) c.first_turn = e.turn;
    c.last_turn = e.turn;
    size_t full = text::estimate_tokens(all[i].content), stub = text::estimate_tokens(e.stub);
    c.tokens_saved += full > stub ? full - stub : 0;
  }
  through_ = turn;
  return c;
}

namespace {
void merge(Collapsed& into, const Collapsed& c) {
  if (c.empty()) return;
  if (into.outputs == 0) into.first_turn = c.first_turn;
  into.outputs += c.outputs;
  into.last_turn = c.last_turn;
  into.tokens_saved += c.tokens_saved;
}
}  // namespace

Collapsed ContextWindow::update(const std::vector<llm::Message>& all) {
  Collapsed total;
  if (!o_.enabled) return total;
  int keep = std::max(1, o_.keep_turns), block = std::max(1, o_.block_turns);
  while (turn_ - through_ > keep + block) merge(total, collapse_through(through_ + block, all));
  while (o_.max_tokens > 0 && through_ < turn_ - 1 && estimate(all) > o_.max_tokens)
    merge(total, collapse_through(through_ + block, all));
  return total;
}

Collapsed ContextWindow::collapse_all_but_newest(const std::vector<llm::Message>& all) {
  return collapse_through(turn_ - 1, all);
}

std::vector<llm::Message> ContextWindow::view(const std::vector<llm::Message>& all) const {
  std::vector<llm::Message> out = all;
  for (size_t i = 0; i < out.size() && i < entries_.size(); ++i)
    if (!entries_[i].stub.empty() && entries_[i].turn <= through_) out[i].content = entries_[i].stub;
  return out;
}

size_t ContextWindow::estimate(const std::vector<llm::Message>& all) const {
  size_t n = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    bool stubbed = i < entries_.size() && !entries_[i].stub.empty() && entries_[i].turn <= through_;
    n += text::estimate_tokens(stubbed ? entries_[i].stub : all[i].content);
    for (const auto& c : all[i].tool_calls) n += text::estimate_tokens(c.arguments);
  }
  return n;
}

}  // namespace ds::agent
