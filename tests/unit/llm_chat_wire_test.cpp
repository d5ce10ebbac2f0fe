// Chat Completions wire format: the request body byte for byte (stable key
// order, content null beside tool calls), and stream decoding of the
// openai-api.md example in odd splits, non-streamed bodies, broken streams.
#include <catch2/catch.hpp>
#include <random>

#include "llm/chat_wire.hpp"
#include "llm/types.hpp"

using namespace ds::llm;
using ds::json::Value;

namespace {

Request sample_request() {
  Request r;
  r.model = "gpt-4.1";
  r.messages.push_back(Message::system("You fix bugs."));
  r.messages.push_back(Message::user("Fix a.c"));
  Message a;
  a.role = Role::Assistant;
  ToolCall c;
  c.id = "call_abc";
  c.name = "read_file";
  c.arguments = "{\"path\":\"src/a.c\"}";
  a.tool_calls.push_back(c);
  r.messages.push_back(a);
  r.messages.push_back(Message::tool("call_abc", "read_file", "int main(){}"));
  ToolDef t;
  t.name = "read_file";
  t.description = "Read a file";
  t.parameters =
      *ds::json::parse(R"({"type":"object","properties":{"path":{"type":"string"}},"required":["path"]})");
  r.tools.push_back(t);
  return r;
}

// The example stream from docs/openai-api.md.
const std::string kDocStream =
    R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1-2025-04-14","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})"
    "\n\n"
    R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1-2025-04-14","choices":[{"index":0,"delta":{"content":"Let me read it."},"finish_reason":null}]})"
    "\n\n"
    R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1-2025-04-14","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_abc","type":"function","function":{"name":"read_file","arguments":""}}]},"finish_reason":null}]})"
    "\n\n"
    R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1-2025-04-14","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"path\":"}}]},"finish_reason":null}]})"
    "\n\n"
    R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1-2025-04-14","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"src/a.c\"}"}}]},"finish_reason":null}]})"
    "\n\n"
    R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1-2025-04-14","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})"
    "\n\n"
    R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1-2025-04-14","choices":[],"usage":{"prompt_tokens":2048,"completion_tokens":21,"total_tokens":2069,"prompt_tokens_details":{"cached_tokens":1920}}})"
    "\n\n"
    "data: [DONE]\n\n";

ds::Result<Turn> decode_in_pieces(std::string_view raw, size_t piece, std::string* streamed) {
  SseParser p;
  ChatStreamDecoder d([&](std::string_view s) { streamed->append(s); });
  std::vector<SseEvent> events;
  for (size_t i = 0; i < raw.size(); i += piece) {
    events.clear();
    p.feed(raw.substr(i, piece), events);
    for (auto& e : events) {
      if (auto st = d.on_event(e); !st.ok()) return st.error();
    }
  }
  events.clear();
  p.finish(events);
  for (auto& e : events) {
    if (auto st = d.on_event(e); !st.ok()) return st.error();
  }
  return d.finish();
}

}  // namespace

TEST_CASE("chat request: exact bytes, key order, content null beside tool calls") {
  Request r = sample_request();
  r.generation.max_output_tokens = 1024;
  r.seed = 7;
  std::string body = ds::json::dump(build_chat_body(r, true));
  CHECK(
      body ==
      R"({"model":"gpt-4.1","messages":[{"role":"system","content":"You fix bugs."},{"role":"user","content":"Fix a.c"},)"
      R"({"role":"assistant","content":null,"tool_calls":[{"id":"call_abc","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"src/a.c\"}"}}]},)"
      R"({"role":"tool","tool_call_id":"call_abc","content":"int main(){}"}],)"
      R"("tools":[{"type":"function","function":{"name":"read_file","description":"Read a file","parameters":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}}}],)"
      R"("tool_choice":"auto","stream":true,"stream_options":{"include_usage":true},"max_completion_tokens":1024,"seed":7})");
}

TEST_CASE("chat request: the prefix is byte-identical when the history grows") {
  Request r = sample_request();
  std::string first = ds::json::dump(build_chat_body(r, true));
  r.messages.push_back(Message::user("and now b.c"));
  std::string second = ds::json::dump(build_chat_body(r, true));
  size_t tools_at = first.find("],\"tools\"");
  REQUIRE(tools_at != std::string::npos);
  CHECK(second.substr(0, tools_at) == first.substr(0, tools_at));
}

TEST_CASE("chat request: optional fields appear only when set") {
  Request r;
  r.model = "m";
  r.messages.push_back(Message::user("hi"));
  CHECK(ds::json::dump(build_chat_body(r, false)) ==
        R"({"model":"m","messages":[{"role":"user","content":"hi"}]})");

  r.tools = sample_request().tools;
  r.tools[0].strict = true;
  r.tool_choice = "read_file";
  r.parallel_tool_calls = false;
  r.generation.temperature = 0.2;
  r.prompt_cache_key = "repo-1";
  Value v = build_chat_body(r, false);
  CHECK(v["tools"].at(0)["function"]["strict"].as_bool() == true);
  CHECK(ds::json::dump(v["tool_choice"]) == R"({"type":"function","function":{"name":"read_file"}})");
  CHECK(v["parallel_tool_calls"].is_bool());
  CHECK_FALSE(v["parallel_tool_calls"].as_bool(true));
  CHECK(v["temperature"].as_double() == 0.2);
  CHECK(v["prompt_cache_key"].as_string() == "repo-1");
  CHECK_FALSE(v.has("stream"));

  // An assistant message with text keeps it beside its tool calls; one
  // without tool calls keeps "" rather than null.
  Message a;
  a.role = Role::Assistant;
  a.content = "Reading.";
  a.tool_calls.push_back(ToolCall{"c1", "read_file", "", Value()});
  Message empty;
  empty.role = Role::Assistant;
  r.messages = {Message::user("x"), a, empty};
  Value m = build_chat_body(r, false)["messages"];
  CHECK(m.at(1)["content"].as_string() == "Reading.");
  CHECK(m.at(1)["tool_calls"].at(0)["function"]["arguments"].as_string() == "{}");
  CHECK(m.at(2)["content"].is_string());
}

TEST_CASE("chat request: tool_choice and parallel_tool_calls are left out without tools") {
  Request r;
  r.model = "m";
  r.messages.push_back(Message::user("hi"));
  r.tool_choice = "required";
  r.parallel_tool_calls = true;
  Value v = build_chat_body(r, true);
  CHECK_FALSE(v.has("tool_choice"));
  CHECK_FALSE(v.has("parallel_tool_calls"));
}

TEST_CASE("chat stream: the doc example decodes the same in every piece size") {
  for (size_t piece :
       {size_t(1), size_t(2), size_t(3), size_t(7), size_t(64), size_t(1000), kDocStream.size()}) {
    INFO("piece size " << piece);
    std::string streamed;
    auto turn = decode_in_pieces(kDocStream, piece, &streamed);
    REQUIRE(turn.ok());
    CHECK(turn->text == "Let me read it.");
    CHECK(streamed == "Let me read it.");
    CHECK(turn->finish_reason == "tool_calls");
    CHECK(turn->model == "gpt-4.1-2025-04-14");
    REQUIRE(turn->tool_calls.size() == 1);
    CHECK(turn->tool_calls[0].id == "call_abc");
    CHECK(turn->tool_calls[0].name == "read_file");
    CHECK(turn->tool_calls[0].arguments == "{\"path\":\"src/a.c\"}");
    CHECK(turn->tool_calls[0].args["path"].as_string() == "src/a.c");
    CHECK(turn->usage_known);
    CHECK(turn->usage.prompt_tokens == 2048);
    CHECK(turn->usage.cached_tokens == 1920);
    CHECK(turn->usage.completion_tokens == 21);
    // The decoded turn goes back as the doc's assistant message.
    Request next;
    next.model = "gpt-4.1";
    next.messages.push_back(turn->as_message());
    CHECK(
        ds::json::dump(build_chat_body(next, false)["messages"].at(0)) ==
        R"({"role":"assistant","content":"Let me read it.","tool_calls":[{"id":"call_abc","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"src/a.c\"}"}}]})");
  }
}

TEST_CASE("chat stream: parallel calls interleaved by index are kept apart and ordered") {
  auto chunk = [](const std::string& delta) {
    return "data: {\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}\n\n";
  };
  std::string raw =
      chunk(
          R"({"tool_calls":[{"index":1,"id":"c2","type":"function","function":{"name":"b","arguments":""}}]})") +
      chunk(
          R"({"tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"a","arguments":"{\"x\""}}]})") +
      chunk(R"({"tool_calls":[{"index":1,"function":{"arguments":"{\"y\":2}"}}]})") +
      chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":":1}"}}]})") +
      "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\ndata: [DONE]\n\n";
  std::string streamed;
  auto turn = decode_in_pieces(raw, 5, &streamed);
  REQUIRE(turn.ok());
  REQUIRE(turn->tool_calls.size() == 2);
  CHECK(turn->tool_calls[0].name == "a");
  CHECK(turn->tool_calls[0].args["x"].as_int() == 1);
  CHECK(turn->tool_calls[1].name == "b");
  CHECK(turn->tool_calls[1].args["y"].as_int() == 2);
  CHECK_FALSE(turn->usage_known);  // no usage chunk was sent
}

TEST_CASE("chat stream: invalid argument JSON keeps the raw text and parses to null") {
  std::string raw =
      "data: "
      "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{"
      "\"name\":\"f\",\"arguments\":\"{\\\"a\\\": tru\"}}]},\"finish_reason\":\"tool_calls\"}]}\n\n"
      "data: [DONE]\n\n";
  std::string streamed;
  auto turn = decode_in_pieces(raw, 4, &streamed);
  REQUIRE(turn.ok());
  REQUIRE(turn->tool_calls.size() == 1);
  CHECK(turn->tool_calls[0].arguments == "{\"a\": tru");
  CHECK(turn->tool_calls[0].args.is_null());
}

TEST_CASE("chat stream: a stream without [DONE] or without finish_reason is broken") {
  std::string streamed;
  std::string no_done = kDocStream.substr(0, kDocStream.find("data: [DONE]"));
  auto t1 = decode_in_pieces(no_done, 10, &streamed);
  REQUIRE_FALSE(t1.ok());
  CHECK(t1.error().kind == ErrorKind::Protocol);
  CHECK(t1.error().message.find("[DONE]") != std::string::npos);

  auto t2 = decode_in_pieces(
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":null}]}\n\ndata: "
      "[DONE]\n\n",
      3, &streamed);
  REQUIRE_FALSE(t2.ok());
  CHECK(t2.error().message.find("finish_reason") != std::string::npos);
}

TEST_CASE("chat stream: malformed event JSON and error events fail with the right kind") {
  std::string streamed;
  auto bad = decode_in_pieces("data: {\"choices\":[\n\ndata: [DONE]\n\n", 2, &streamed);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == ErrorKind::Protocol);
  CHECK(bad.error().message.find("not valid JSON") != std::string::npos);

  auto err = decode_in_pieces(
      "data: {\"error\":{\"message\":\"This model's maximum context length is 8192 "
      "tokens\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}\n\n",
      9, &streamed);
  REQUIRE_FALSE(err.ok());
  CHECK(err.error().kind == ErrorKind::ContextLength);
  CHECK(err.error().message.find("maximum context length") != std::string::npos);
}

TEST_CASE("chat body: a non-streamed reply with tool calls and usage") {
  auto turn = parse_chat_body(R"({"id":"x","object":"chat.completion","model":"gpt-4.1-mini-2025-04-14",
    "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
      {"id":"call_1","type":"function","function":{"name":"search","arguments":"{\"q\":\"main\"}"}}]},
      "finish_reason":"tool_calls"}],
    "usage":{"prompt_tokens":50,"completion_tokens":9,"prompt_tokens_details":{"cached_tokens":0}}})");
  REQUIRE(turn.ok());
  CHECK(turn->text.empty());
  CHECK(turn->model == "gpt-4.1-mini-2025-04-14");
  REQUIRE(turn->tool_calls.size() == 1);
  CHECK(turn->tool_calls[0].args["q"].as_string() == "main");
  CHECK(turn->usage.prompt_tokens == 50);
  CHECK(turn->finish_reason == "tool_calls");

  auto none = parse_chat_body(R"({"choices":[]})");
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().kind == ErrorKind::Protocol);
}

namespace {

// A stream whose one tool call's name arrives in the given deltas.
std::string name_stream(const std::vector<std::string>& names) {
  std::string s;
  auto chunk = [&](const std::string& delta, const char* finish = "null") {
    s += R"(data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":)" +
         delta + R"(,"finish_reason":)" + finish + "}]}\n\n";
  };
  chunk(R"({"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":")" + names[0] +
        R"(","arguments":""}}]})");
  for (size_t i = 1; i < names.size(); ++i) {
    chunk(R"({"tool_calls":[{"index":0,"function":{"name":")" + names[i] + R"("}}]})");
  }
  chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]})");
  chunk("{}", "\"tool_calls\"");
  return s + "data: [DONE]\n\n";
}

std::string decoded_name(const std::vector<std::string>& names, std::vector<std::string> known = {}) {
  SseParser p;
  ChatStreamDecoder d(nullptr, std::move(known));
  std::vector<SseEvent> events;
  p.feed(name_stream(names), events);
  p.finish(events);
  for (auto& e : events) REQUIRE(d.on_event(e).ok());
  auto turn = d.finish();
  REQUIRE(turn.ok());
  REQUIRE(turn->tool_calls.size() == 1);
  return turn->tool_calls[0].name;
}

}  // namespace

TEST_CASE("chat stream: tool names whole, in fragments, repeated whole, or with a repeated last fragment") {
  CHECK(decoded_name({"read_file"}) == "read_file");      // OpenAI: whole, once
  CHECK(decoded_name({"read_", "file"}) == "read_file");  // real fragments
  CHECK(decoded_name({"re", "ad_f", "ile"}) == "read_file");
  CHECK(decoded_name({"read_file", "read_file"}) == "read_file");      // the whole name again
  CHECK(decoded_name({"read_", "file", "file"}) == "read_file");       // issue 15: not read_filefile
  CHECK(decoded_name({"read_", "file", "read_file"}) == "read_file");  // fragments, then the whole
  // With the request's tools known, a name that really has a doubled piece
  // is kept, and the repeat rule still holds for the others.
  std::vector<std::string> tools = {"read_file", "go_go_"};
  CHECK(decoded_name({"go_", "go_"}, tools) == "go_go_");
  CHECK(decoded_name({"read_", "file", "file"}, tools) == "read_file");
  CHECK(decoded_name({"go_", "go_"}) == "go_");  // without the tool list a repeat is a repeat
}
