// Dispatch between the two wire APIs, whole-stream decoding, request checks.
#include "llm/wire.hpp"

#include "llm/chat_wire.hpp"
#include "llm/responses_wire.hpp"

namespace ds::llm {
namespace {

bool valid_tool_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string_view wire_name(WireApi w) { return w == WireApi::Chat ? "chat" : "responses"; }

json::Value build_request_body(WireApi w, const Request& req, bool stream) {
  return w == WireApi::Chat ? build_chat_body(req, stream) : build_responses_body(req, stream);
}

std::unique_ptr<StreamDecoder> make_stream_decoder(WireApi w, TextCallback on_text,
                                                   std::vector<std::string> tool_names) {
  if (w == WireApi::Chat)
    return std::make_unique<ChatStreamDecoder>(std::move(on_text), std::move(tool_names));
  return std::make_unique<ResponsesStreamDecoder>(std::move(on_text));
}

Result<Turn> parse_response_body(WireApi w, std::string_view body) {
  return w == WireApi::Chat ? parse_chat_body(body) : parse_responses_body(body);
}

Result<Turn> decode_stream(WireApi w, std::string_view raw, const TextCallback& on_text) {
  SseParser parser;
  std::vector<SseEvent> events;
  parser.feed(raw, events);
  parser.finish(events);
  auto decoder = make_stream_decoder(w, on_text);
  for (const SseEvent& e : events) {
    if (Status st = decoder->on_event(e); !st.ok()) return st.error();
  }
  return decoder->finish();
}

Status validate_request(const Request& req) {
  if (req.model.empty()) return make_error("the request names no model; set --model", ErrorKind::BadRequest);
  if (req.messages.empty()) return make_error("the request has no messages", ErrorKind::BadRequest);
  for (const ToolDef& t : req.tools) {
    if (!valid_tool_name(t.name)) {
      return make_error(
          "tool name \"" + t.name + "\" is not allowed by the API (use [a-zA-Z0-9_-], 1-64 chars)",
          ErrorKind::BadRequest);
    }
  }
  for (size_t i = 0; i < req.messages.size(); ++i) {
    const Message& m = req.messages[i];
    if (m.role == Role::Tool && m.tool_call_id.empty()) {
      return make_error("message " + std::to_string(i) + " is a tool result without tool_call_id",
                        ErrorKind::BadRequest);
    }
  }
  return Ok{};
}

json::Value parse_arguments(std::string_view raw) {
  auto v = json::parse(raw);
  return v.ok() ? std::move(*v) : json::Value();
}

}  // namespace ds::llm
