// The model conversation in wire-neutral form: messages, tool definitions,
// one completed assistant turn with usage. Both wire APIs (Chat Completions,
// Responses) translate to and from these.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "json/value.hpp"
#include "llm/error_kind.hpp"

namespace ds::llm {

struct ToolCall {
  std::string id;  // call id (chat: tool_calls[].id; responses: call_id)
  std::string name;
  std::string arguments;  // the raw JSON text the model wrote
  // Parsed arguments; null when `arguments` is not valid JSON (the agent then
  // tells the model so).
  json::Value args;
};

enum class Role { System, User, Assistant, Tool };

struct Message {
  Role role = Role::User;
  std::string content;
  std::vector<ToolCall> tool_calls;  // Role::Assistant only
  std::string tool_call_id;          // Role::Tool only
  std::string name;                  // Role::Tool only: the tool's name (Responses needs none, logs like it)
  // Role::Assistant, Responses API only: the reasoning output items of the
  // turn, exactly as received (with encrypted_content). They go back into the
  // next request's input so a reasoning model keeps its chain of thought
  // without server-side storage. Chat Completions ignores them.
  std::vector<json::Value> reasoning;

  static Message system(std::string text) { return {Role::System, std::move(text), {}, {}, {}, {}}; }
  static Message user(std::string text) { return {Role::User, std::move(text), {}, {}, {}, {}}; }
  static Message tool(std::string call_id, std::string tool_name, std::string text) {
    return {Role::Tool, std::move(text), {}, std::move(call_id), std::move(tool_name), {}};
  }
};

struct ToolDef {
  std::string name;  // [a-zA-Z0-9_-]{1,64}
  std::string description;
  json::Value parameters;  // JSON Schema object
  bool strict = false;
};

struct Usage {
  int64_t prompt_tokens = 0;
  int64_t cached_tokens = 0;  // part of prompt_tokens served from cache
  int64_t completion_tokens = 0;
  int64_t reasoning_tokens = 0;  // part of completion_tokens (billed as output)
  Usage& operator+=(const Usage& o) {
    prompt_tokens += o.prompt_tokens;
    cached_tokens += o.cached_tokens;
    completion_tokens += o.completion_tokens;
    reasoning_tokens += o.reasoning_tokens;
    return *this;
  }
};

// What the user chose about generation (--reasoning-effort, --temperature,
// --max-output-tokens). Unset fields are never sent. Which of the set ones go
// on the wire, and under which name, depends on the model family: see
// llm/generation.hpp and docs/models.md.
struct GenerationOptions {
  std::string reasoning_effort;          // "" (unset) | minimal | low | medium | high
  std::optional<double> temperature;     // 0-2
  std::optional<int> max_output_tokens;  // reasoning tokens count against it
};

struct Request {
  std::string model;
  std::vector<Message> messages;  // first message may be the system prompt
  std::vector<ToolDef> tools;
  std::string tool_choice = "auto";  // auto | none | required | a tool name
  std::optional<bool> parallel_tool_calls;
  GenerationOptions generation;
  std::optional<int64_t> seed;
  std::string prompt_cache_key;  // sent when non-empty
  // --max-time: the request (its stream and any wait to retry) is given up
  // at this moment, with ErrorKind::Interrupted and a message that says so.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

// One completed assistant turn.
struct Turn {
  std::string text;
  std::vector<ToolCall> tool_calls;
  std::string finish_reason;           // stop | length | tool_calls | content_filter
  std::vector<json::Value> reasoning;  // Responses: reasoning output items (see Message)
  Usage usage;
  bool usage_known = false;              // false when the server sent no usage
  std::string model;                     // as reported by the server
  std::string request_id;                // x-request-id
  std::chrono::milliseconds latency{0};  // wall time of complete(), retries included
  int attempts = 1;                      // 1 + retries
  // The x-ratelimit-* response headers of the successful attempt (names
  // lowercased), e.g. x-ratelimit-remaining-tokens -> "29000".
  std::map<std::string, std::string> rate_limits;

  Message as_message() const {
    Message m;
    m.role = Role::Assistant;
    m.content = text;
    m.tool_calls = tool_calls;
    m.reasoning = reasoning;
    return m;
  }
};

// Streamed text fragments as they arrive (the terminal prints them).
using TextCallback = std::function<void(std::string_view fragment)>;

// The seam between the agent and a model endpoint: the HTTP clients, the
// replay provider, and test fakes implement it.
class Client {
 public:
  virtual ~Client() = default;
  virtual Result<Turn> complete(const Request& req, const TextCallback& on_text) = 0;
};

}  // namespace ds::llm
