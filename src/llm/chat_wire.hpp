// Chat Completions wire format: request JSON (stable key order, so that the
// prompt prefix stays byte-identical across turns) and reply decoding,
// streamed (chat.completion.chunk events) or whole.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "llm/wire.hpp"

namespace ds::llm {

// Keys, in order: model, messages, tools, tool_choice, parallel_tool_calls,
// stream, stream_options, max_completion_tokens, temperature, seed,
// prompt_cache_key. Optional ones only when set; tool_choice and
// parallel_tool_calls only with tools (the API rejects them otherwise).
// An assistant message with tool calls and no text carries "content": null.
json::Value build_chat_body(const Request& req, bool stream);

class ChatStreamDecoder final : public StreamDecoder {
 public:
  explicit ChatStreamDecoder(TextCallback on_text) : on_text_(std::move(on_text)) {}
  Status on_event(const SseEvent& e) override;
  Result<Turn> finish() override;

 private:
  struct PartialCall {
    std::string id, name, arguments;
  };
  TextCallback on_text_;
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
