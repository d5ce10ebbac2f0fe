// Reading and writing the trajectory's messages (agent/trajectory.hpp).
#include "agent/trajectory.hpp"

#include <algorithm>
#include <fstream>

namespace ds::agent {
namespace {

constexpr const char* kRoles[] = {"system", "user", "assistant", "tool"};

const json::Value* find_type(const std::vector<json::Value>& events, std::string_view type, bool last) {
  const json::Value* found = nullptr;
  for (const auto& e : events) {
    if (e["type"].as_string() != type) continue;
    found = &e;
    if (!last) break;
  }
  return found;
}

}  // namespace

json::Value message_json(const llm::Message& m) {
  json::Value v = json::Value::object();
  v.set("role", kRoles[static_cast<int>(m.role)]).set("content", m.content);
  if (!m.tool_calls.empty()) {
    json::Value calls = json::Value::array();
    for (const auto& c : m.tool_calls)
      calls.push(json::Value::object().set("id", c.id).set("name", c.name).set("arguments", c.arguments));
    v.set("tool_calls", std::move(calls));
  }
  if (!m.tool_call_id.empty()) v.set("tool_call_id", m.tool_call_id).set("name", m.name);
  return v;
}

Result<llm::Message> message_from_json(const json::Value& v) {
  if (!v.is_object()) return make_error("a message is not a JSON object");
  llm::Message m;
  const std::string& role = v["role"].as_string();
  bool known = false;
  for (int i = 0; i < 4; ++i) {
    if (role != kRoles[i]) continue;
    m.role = static_cast<llm::Role>(i);
    known = true;
  }
  if (!known) return make_error("a message has an unknown role '" + role + "'");
  m.content = v["content"].as_string();
  for (const auto& c : v["tool_calls"].items()) {
    llm::ToolCall call{c["id"].as_string(), c["name"].as_string(), c["arguments"].as_string(), {}};
    if (auto args = json::parse(call.arguments)) call.args = std::move(*args);
    m.tool_calls.push_back(std::move(call));
  }
  m.tool_call_id = v["tool_call_id"].as_string();
  m.name = v["name"].as_string();
  return m;
}

size_t answer_open_tool_calls(std::vector<llm::Message>& messages) {
  size_t added = 0;
  for (size_t i = 0; i < messages.size(); ++i) {
    if (messages[i].role != llm::Role::Assistant || messages[i].tool_calls.empty()) continue;
    size_t end = i + 1;  // past the tool messages that follow the call
    while (end < messages.size() && messages[end].role == llm::Role::Tool) ++end;
    std::vector<llm::Message> missing;
    for (const auto& call : messages[i].tool_calls) {
      bool answered = std::any_of(messages.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                  messages.begin() + static_cast<std::ptrdiff_t>(end),
                                  [&](const llm::Message& m) { return m.tool_call_id == call.id; });
      if (!answered)
        missing.push_back(
            llm::Message::tool(call.id, call.name, "Not run: the run was stopped before this call ran."));
    }
    added += missing.size();
    messages.insert(messages.begin() + static_cast<std::ptrdiff_t>(end), missing.begin(), missing.end());
  }
  return added;
}

const json::Value* Trajectory::find_event(std::string_view type) const {
  return find_type(events, type, false);
}
const json::Value* Trajectory::last_event(std::string_view type) const {
  return find_type(events, type, true);
}

Result<Trajectory> read_trajectory(const std::string& path) {
  auto records = read_trajectory_records(path);
  if (!records) return records.error();
  Trajectory t;
  for (auto& r : *records) {
    if (!r.is_message) {
      t.events.push_back(std::move(r.value));
      continue;
    }
    auto msg = message_from_json(r.value);
    if (!msg) return make_error(path + ": " + msg.error().message);
    t.messages.push_back(std::move(*msg));
  }
  return t;
}

Result<std::vector<TrajectoryRecord>> read_trajectory_records(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read the run's trajectory " + path);
  std::vector<TrajectoryRecord> records;
  std::string line, bad;
  size_t lineno = 0, bad_line = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty()) continue;
    if (!bad.empty())  // a bad line before the end: the file is damaged
      return make_error(path + ":" + std::to_string(bad_line) + ": not a JSON object: " + bad);
    auto v = json::parse(line);
    if (!v || !v->is_object()) {
      bad = v ? "not an object" : v.error().message;
      bad_line = lineno;
      continue;
    }
    // TrajectorySink writes {"event": {...}} and {"message": {...}}.
    if (const json::Value* m = v->find("message"))
      records.push_back({true, *m});
    else if (const json::Value* e = v->find("event"))
      records.push_back({false, *e});
    else
      records.push_back({false, std::move(*v)});
  }
  return records;  // a bad last line is a write cut short by a kill: skipped
}

}  // namespace ds::agent
