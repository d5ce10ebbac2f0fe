// The two wire APIs behind one face: build a request body, decode a streamed
// reply event by event, or parse a whole JSON reply. The HTTP client, the
// replay client and the benchmark all go through these functions.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "json/value.hpp"
#include "llm/sse.hpp"
#include "llm/types.hpp"

namespace ds::llm {

enum class WireApi { Chat, Responses };

std::string_view wire_name(WireApi w);  // "chat" | "responses"

// Turns the events of one streamed reply into a Turn, passing text fragments
// to the callback as they arrive. Errors: ErrorKind::Protocol for malformed or
// truncated streams; an error event in the stream is classified by its code.
class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;
  virtual Status on_event(const SseEvent& e) = 0;
  // The stream ended; fails when it ended before its proper end marker.
  virtual Result<Turn> finish() = 0;
};

json::Value build_request_body(WireApi w, const Request& req, bool stream);
// `tool_names` (the request's tools) helps assemble fragmented tool names.
std::unique_ptr<StreamDecoder> make_stream_decoder(WireApi w, TextCallback on_text,
                                                   std::vector<std::string> tool_names = {});
Result<Turn> parse_response_body(WireApi w, std::string_view body);

// A whole recorded stream through SseParser and a decoder.
Result<Turn> decode_stream(WireApi w, std::string_view raw, const TextCallback& on_text);

// Checks what the API would reject anyway: empty model or messages, tool names
// outside [a-zA-Z0-9_-]{1,64}, tool results without a call id. ErrorKind::BadRequest.
Status validate_request(const Request& req);

// The parsed form of a tool call's arguments: null when not valid JSON.
json::Value parse_arguments(std::string_view raw);

}  // namespace ds::llm
