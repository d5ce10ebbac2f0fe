// Responses API wire format (the second wire API): request JSON with
// `instructions` + `input` items and flat tools, and reply decoding from the
// named stream events (response.output_text.delta, ...) or a whole response.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "llm/wire.hpp"

namespace ds::llm {

// Keys, in order: model, instructions (the leading system message), input,
// tools, tool_choice, parallel_tool_calls, store (false: the full history is
// sent each turn, nothing needs storing), include (["reasoning.encrypted_content"]
// for reasoning models), stream, max_output_tokens, reasoning ({effort}),
// temperature (never for reasoning models), prompt_cache_key. Responses has
// no `seed`; it is not sent. Tools carry "strict" explicitly because
// Responses defaults it to true. An assistant message's reasoning items go
// into `input` first, unchanged, then its text, then its function calls.
json::Value build_responses_body(const Request& req, bool stream);

class ResponsesStreamDecoder final : public StreamDecoder {
 public:
  explicit ResponsesStreamDecoder(TextCallback on_text) : on_text_(std::move(on_text)) {}
  Status on_event(const SseEvent& e) override;
  Result<Turn> finish() override;

 private:
  TextCallback on_text_;
  Turn turn_;
  std::map<int64_t, ToolCall> calls_;         // by output_index
  std::map<int64_t, json::Value> reasoning_;  // reasoning items by output_index
  size_t events_ = 0;
  bool done_ = false;  // response.completed / response.incomplete seen
};

Result<Turn> parse_responses_body(std::string_view body);

}  // namespace ds::llm
