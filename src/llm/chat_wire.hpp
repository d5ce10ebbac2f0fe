// Chat Completions wire format: request JSON (stable key order, so that the
// prompt prefix stays byte-identical across turns) and reply decoding,
// streamed (chat.completion.chunk events) or whole.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "llm/wire.hpp"

namespace ds::llm {

// Keys, in order: model, messages, tools, tool_choice, parallel_tool_calls,
// stream, stream_options, max_completion_tokens, reasoning_effort,
// temperature, seed, prompt_cache_key. Optional ones only when set (and, for
// the generation options, only what sent_generation() allows for the model:
// reasoning models never get temperature); tool_choice and
// parallel_tool_calls only with tools (the API rejects them otherwise).
// An assistant message with tool calls and no text carries "content": null.
json::Value build_chat_body(const Request& req, bool stream);

// Tool-call names: OpenAI sends a name whole in the call's first delta; some
// compatible servers send it in fragments ("read_", "file"), repeat the whole
// name in later deltas, or repeat the last fragment. A fragment equal to the
// name so far or to the previous fragment is taken as a repeat; when the
// request's tool names are known, the plain concatenation wins if it is one
// of them (a name that really has a doubled piece), else the de-duplicated
// name does.
class ChatStreamDecoder final : public StreamDecoder {
 public:
  explicit ChatStreamDecoder(TextCallback on_text, std::vector<std::string> tool_names = {})
      : on_text_(std::move(on_text)), tool_names_(std::move(tool_names)) {}
  Status on_event(const SseEvent& e) override;
  Result<Turn> finish() override;

 private:
  struct PartialCall {
    std::string id, arguments;
    std::string name;          // repeats dropped
    std::string concatenated;  // every fragment appended
    std::string last_fragment;
  };
  std::string resolve_name(const PartialCall& p) const;

  TextCallback on_text_;
  std::vector<std::string> tool_names_;
  Turn turn_;
  std::map<int64_t, PartialCall> calls_;  // by tool_calls[].index
  size_t events_ = 0;
  bool done_ = false;      // data: [DONE] seen
  bool finished_ = false;  // a finish_reason seen
};

Result<Turn> parse_chat_body(std::string_view body);

// Reads a Chat Completions usage object into `turn` (sets usage_known).
void read_chat_usage(const json::Value& usage, Turn& turn);

}  // namespace ds::llm
