// A run's trajectory file, .git/diffsmith/runs/<run-id>.jsonl: every event
// ({"event": {...}}, the object with "type" that --json prints) and every
// conversation message ({"message": {...}}) in the order they happened. Written by TrajectorySink
// (agent/events.hpp); read back for `--continue`, `log` and `show`.
#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "json/value.hpp"
#include "llm/types.hpp"

namespace ds::agent {

// A message as the trajectory stores it: {"role", "content", "tool_calls"?,
// "tool_call_id"?, "name"?}. Responses reasoning items are not stored.
json::Value message_json(const llm::Message& m);
// The inverse; an unknown role or a non-object is an error naming it.
Result<llm::Message> message_from_json(const json::Value& v);

struct Trajectory {
  std::vector<json::Value> events;     // in order
  std::vector<llm::Message> messages;  // the conversation, in order
  // The first event of `type`, or nullptr.
  const json::Value* find_event(std::string_view type) const;
  // The last event of `type`, or nullptr.
  const json::Value* last_event(std::string_view type) const;
};

// A conversation read back from a killed run may end in tool calls that never
// got an answer, which the API rejects: each gets a tool message saying it was
// not run. Returns how many were added.
size_t answer_open_tool_calls(std::vector<llm::Message>& messages);

// Reads a trajectory file. A line that is not JSON is an error naming the
// file and line, except a last line cut short (a killed run), which is skipped.
Result<Trajectory> read_trajectory(const std::string& path);

// One line of a trajectory file, in file order: an event or a message.
struct TrajectoryRecord {
  bool is_message = false;
  json::Value value;  // the event (with "type"), or the message as message_json wrote it
};

// Every line of a trajectory file, in order (`diffsmith show` interleaves
// them); errors as read_trajectory.
Result<std::vector<TrajectoryRecord>> read_trajectory_records(const std::string& path);

}  // namespace ds::agent
