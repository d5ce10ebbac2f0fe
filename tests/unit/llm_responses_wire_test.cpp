// Responses API wire format: request body (instructions, input items, flat
// tools with explicit strict, max_output_tokens, no seed) and decoding of the
// named stream events and whole response objects.
#include <catch2/catch.hpp>

#include "llm/responses_wire.hpp"
#include "llm/wire.hpp"

using namespace ds::llm;
using ds::json::Value;

namespace {

std::string ev(const std::string& type, const std::string& json_fields) {
  return "event: " + type + "\ndata: {\"type\":\"" + type + "\"" +
         (json_fields.empty() ? "" : "," + json_fields) + "}\n\n";
}

const std::string kStream =
    ev("response.created",
       R"("response":{"id":"resp_1","model":"gpt-4.1-2025-04-14","status":"in_progress","output":[]})") +
    ev("response.output_item.added",
       R"("output_index":0,"item":{"id":"msg_1","type":"message","role":"assistant","content":[]})") +
    ev("response.output_text.delta",
       R"("item_id":"msg_1","output_index":0,"content_index":0,"delta":"Let me ")") +
    ev("response.output_text.delta",
       R"("item_id":"msg_1","output_index":0,"content_index":0,"delta":"look.")") +
    ev("response.output_item.done",
       R"("output_index":0,"item":{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"output_text","text":"Let me look."}]})") +
    ev("response.output_item.added",
       R"("output_index":1,"item":{"id":"fc_1","type":"function_call","call_id":"call_9","name":"read_file","arguments":""})") +
    ev("response.function_call_arguments.delta",
       R"("item_id":"fc_1","output_index":1,"delta":"{\"path\":")") +
    ev("response.function_call_arguments.delta", R"("item_id":"fc_1","output_index":1,"delta":"\"a.c\"}")") +
    ev("response.function_call_arguments.done",
       R"("item_id":"fc_1","output_index":1,"arguments":"{\"path\":\"a.c\"}")") +
    ev("response.output_item.done",
       R"("output_index":1,"item":{"id":"fc_1","type":"function_call","call_id":"call_9","name":"read_file","arguments":"{\"path\":\"a.c\"}"})") +
    ev("response.completed",
       R"("response":{"id":"resp_1","model":"gpt-4.1-2025-04-14","status":"completed","usage":{"input_tokens":3000,"input_tokens_details":{"cached_tokens":2048},"output_tokens":30}})");

}  // namespace

TEST_CASE("responses request: instructions, input items, flat tools, exact bytes") {
  Request r;
  r.model = "gpt-4.1";
  r.messages.push_back(Message::system("Be brief."));
  r.messages.push_back(Message::user("Fix it"));
  Message a;
  a.role = Role::Assistant;
  a.tool_calls.push_back(ToolCall{"call_9", "read_file", "{\"path\":\"a.c\"}", Value()});
  r.messages.push_back(a);
  r.messages.push_back(Message::tool("call_9", "read_file", "text"));
  ToolDef t;
  t.name = "read_file";
  t.parameters = *ds::json::parse(R"({"type":"object"})");
  r.tools.push_back(t);
  r.generation.max_output_tokens = 500;
  r.seed = 3;
  CHECK(ds::json::dump(build_responses_body(r, true)) ==
        R"({"model":"gpt-4.1","instructions":"Be brief.","input":[{"role":"user","content":"Fix it"},)"
        R"({"type":"function_call","call_id":"call_9","name":"read_file","arguments":"{\"path\":\"a.c\"}"},)"
        R"({"type":"function_call_output","call_id":"call_9","output":"text"}],)"
        R"("tools":[{"type":"function","name":"read_file","parameters":{"type":"object"},"strict":false}],)"
        R"("tool_choice":"auto","store":false,"stream":true,"max_output_tokens":500})");

  r.tool_choice = "read_file";
  CHECK(ds::json::dump(build_responses_body(r, false)["tool_choice"]) ==
        R"({"type":"function","name":"read_file"})");
}

TEST_CASE("responses stream: text and a function call, decoded in small pieces") {
  for (size_t piece : {size_t(1), size_t(5), size_t(333), kStream.size()}) {
    INFO("piece " << piece);
    SseParser p;
    std::string streamed;
    ResponsesStreamDecoder d([&](std::string_view s) { streamed.append(s); });
    std::vector<SseEvent> events;
    for (size_t i = 0; i < kStream.size(); i += piece)
      p.feed(std::string_view(kStream).substr(i, piece), events);
    p.finish(events);
    for (auto& e : events) REQUIRE(d.on_event(e).ok());
    auto turn = d.finish();
    REQUIRE(turn.ok());
    CHECK(turn->text == "Let me look.");
    CHECK(streamed == "Let me look.");
    REQUIRE(turn->tool_calls.size() == 1);
    CHECK(turn->tool_calls[0].id == "call_9");
    CHECK(turn->tool_calls[0].args["path"].as_string() == "a.c");
    CHECK(turn->finish_reason == "tool_calls");
    CHECK(turn->usage.prompt_tokens == 3000);
    CHECK(turn->usage.cached_tokens == 2048);
    CHECK(turn->usage.completion_tokens == 30);
    CHECK(turn->model == "gpt-4.1-2025-04-14");
  }
}

TEST_CASE("responses stream: ends before response.completed = broken, failures surface") {
  std::string cut = kStream.substr(0, kStream.find("event: response.completed"));
  auto t = decode_stream(WireApi::Responses, cut, nullptr);
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().kind == ErrorKind::Protocol);

  auto failed =
      decode_stream(WireApi::Responses,
                    ev("response.failed",
                       R"("response":{"status":"failed","error":{"code":"server_error","message":"boom"}})"),
                    nullptr);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message.find("boom") != std::string::npos);

  auto error = decode_stream(
      WireApi::Responses, ev("error", R"("code":"context_length_exceeded","message":"too long")"), nullptr);
  REQUIRE_FALSE(error.ok());
  CHECK(error.error().kind == ErrorKind::ContextLength);

  auto incomplete = decode_stream(
      WireApi::Responses,
      ev("response.output_text.delta", R"("output_index":0,"delta":"abc")") +
          ev("response.incomplete",
             R"("response":{"status":"incomplete","incomplete_details":{"reason":"max_output_tokens"}})"),
      nullptr);
  REQUIRE(incomplete.ok());
  CHECK(incomplete->finish_reason == "length");
  CHECK(incomplete->text == "abc");
}

TEST_CASE("responses body: a whole response object") {
  auto turn =
      parse_responses_body(R"({"id":"resp_2","object":"response","status":"completed","model":"gpt-4.1-nano",
    "output":[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Done."}]},
              {"type":"function_call","call_id":"c1","name":"run_tests","arguments":"{}"}],
    "usage":{"input_tokens":10,"output_tokens":2,"input_tokens_details":{"cached_tokens":0}}})");
  REQUIRE(turn.ok());
  CHECK(turn->text == "Done.");
  REQUIRE(turn->tool_calls.size() == 1);
  CHECK(turn->tool_calls[0].args.is_object());
  CHECK(turn->finish_reason == "tool_calls");
  CHECK(turn->usage_known);
}
