// The HTTP client against the python mock over real 127.0.0.1 HTTP: streamed
// and whole replies, many small fragments, usage, both wire APIs, Azure, and
// the exact request that went out.
#include <catch2/catch.hpp>
#include <map>

#include "llm/client_factory.hpp"
#include "llm/config.hpp"
#include "llm/wire.hpp"
#include "support/mock_client.hpp"

using namespace ds::llm;
using namespace ds::test;  // MockServer, start_mock, mock_config, client_for

namespace {

Request simple_request() {
  Request r;
  r.model = "gpt-4.1";
  r.messages.push_back(Message::system("You are terse."));
  r.messages.push_back(Message::user("Read a.c"));
  ToolDef t;
  t.name = "read_file";
  t.description = "Read one file";
  t.parameters =
      *ds::json::parse(R"({"type":"object","properties":{"path":{"type":"string"}},"required":["path"]})");
  r.tools.push_back(t);
  return r;
}

const char* kToolTurn = R"([{
  "text": "I will read both files, then decide.",
  "tool_calls": [{"id": "call_a", "name": "read_file", "arguments": {"path": "src/a.c", "note": "caf\u00e9 \"quoted\""}},
                 {"id": "call_b", "name": "read_file", "arguments": {"path": "src/b.c"}}],
  "interleave": true, "fragment": 2,
  "usage": {"prompt_tokens": 1500, "completion_tokens": 42, "cached_tokens": 1024},
  "model": "gpt-4.1-2025-04-14"}])";

}  // namespace

TEST_CASE("client: a streamed chat turn with parallel tool calls in many fragments") {
  auto mock = start_mock(kToolTurn, {"sk-test-key"});
  auto client = client_for(mock_config(*mock, {{"provider", "openai"}}));
  std::vector<std::string> fragments;
  auto turn = client->complete(simple_request(), [&](std::string_view s) { fragments.emplace_back(s); });
  REQUIRE(turn.ok());
  CHECK(turn->text == "I will read both files, then decide.");
  CHECK(fragments.size() > 10);  // it really streamed
  std::string joined;
  for (auto& f : fragments) joined += f;
  CHECK(joined == turn->text);
  REQUIRE(turn->tool_calls.size() == 2);
  CHECK(turn->tool_calls[0].id == "call_a");
  CHECK(turn->tool_calls[0].args["path"].as_string() == "src/a.c");
  CHECK(turn->tool_calls[0].args["note"].as_string() == "caf\xc3\xa9 \"quoted\"");
  CHECK(turn->tool_calls[1].id == "call_b");
  CHECK(turn->tool_calls[1].args["path"].as_string() == "src/b.c");
  CHECK(turn->finish_reason == "tool_calls");
  CHECK(turn->usage_known);
  CHECK(turn->usage.prompt_tokens == 1500);
  CHECK(turn->usage.cached_tokens == 1024);
  CHECK(turn->usage.completion_tokens == 42);
  CHECK(turn->model == "gpt-4.1-2025-04-14");
  CHECK(turn->request_id == "req_mock_1");
  CHECK(turn->attempts == 1);
  CHECK(turn->rate_limits.at("x-ratelimit-remaining-tokens") == "29000");
  CHECK(turn->rate_limits.count("x-ratelimit-reset-requests") == 1);

  auto log = mock->requests();
  REQUIRE(log.size() == 1);
  CHECK(log[0]["path"].as_string() == "/v1/chat/completions");
  CHECK(log[0]["auth"].as_string() == "bearer");
  CHECK(log[0]["auth_ok"].as_bool());
  // What went out is exactly the body the wire builder makes.
  CHECK(log[0]["body"] == build_request_body(WireApi::Chat, simple_request(), true));
}

TEST_CASE("client: the next request carries the turn back in the doc's shape") {
  auto mock =
      start_mock(std::string("[") + std::string(kToolTurn).substr(1, std::string(kToolTurn).size() - 2) +
                 R"(, {"text": "Done."}])");
  auto client = client_for(mock_config(*mock));
  Request r = simple_request();
  auto first = client->complete(r, nullptr);
  REQUIRE(first.ok());
  r.messages.push_back(first->as_message());
  for (const ToolCall& c : first->tool_calls) r.messages.push_back(Message::tool(c.id, c.name, "file text"));
  auto second = client->complete(r, nullptr);
  REQUIRE(second.ok());
  CHECK(second->text == "Done.");
  CHECK(second->finish_reason == "stop");
  auto log = mock->requests();
  REQUIRE(log.size() == 2);
  const auto& msgs = log[1]["body"]["messages"];
  REQUIRE(msgs.size() == 5);
  CHECK(msgs.at(2)["role"].as_string() == "assistant");
  CHECK(msgs.at(2)["tool_calls"].at(1)["id"].as_string() == "call_b");
  CHECK(msgs.at(3)["tool_call_id"].as_string() == "call_a");
  // The first request's messages are a byte-identical prefix of the second's.
  std::string a = ds::json::dump(log[0]["body"]["messages"]);
  std::string b = ds::json::dump(msgs);
  CHECK(b.compare(0, a.size() - 1, a, 0, a.size() - 1) == 0);
}

TEST_CASE("client: non-streaming chat") {
  auto mock = start_mock(kToolTurn);
  auto client = client_for(mock_config(*mock, {{"stream", "false"}}));
  std::string streamed;
  auto turn = client->complete(simple_request(), [&](std::string_view s) { streamed += s; });
  REQUIRE(turn.ok());
  CHECK(turn->text == "I will read both files, then decide.");
  CHECK(streamed == turn->text);  // delivered once, whole
  REQUIRE(turn->tool_calls.size() == 2);
  CHECK(turn->tool_calls[1].args["path"].as_string() == "src/b.c");
  CHECK(turn->usage.cached_tokens == 1024);
  auto log = mock->requests();
  REQUIRE(log.size() == 1);
  CHECK_FALSE(log[0]["body"].has("stream"));
}

TEST_CASE("client: the Responses wire API, streamed and whole") {
  auto mock =
      start_mock(std::string("[") + std::string(kToolTurn).substr(1, std::string(kToolTurn).size() - 2) +
                 "," + std::string(kToolTurn).substr(1, std::string(kToolTurn).size() - 2) + "]");
  for (const char* stream : {"true", "false"}) {
    INFO("stream " << stream);
    auto client = client_for(mock_config(*mock, {{"wire-api", "responses"}, {"stream", stream}}));
    std::string streamed;
    auto turn = client->complete(simple_request(), [&](std::string_view s) { streamed += s; });
    REQUIRE(turn.ok());
    CHECK(turn->text == "I will read both files, then decide.");
    CHECK(streamed == turn->text);
    REQUIRE(turn->tool_calls.size() == 2);
    CHECK(turn->tool_calls[0].id == "call_a");
    CHECK(turn->tool_calls[0].args["note"].as_string() == "caf\xc3\xa9 \"quoted\"");
    CHECK(turn->finish_reason == "tool_calls");
    CHECK(turn->usage.prompt_tokens == 1500);
    CHECK(turn->usage.cached_tokens == 1024);
  }
  auto log = mock->requests();
  REQUIRE(log.size() == 2);
  CHECK(log[0]["path"].as_string() == "/v1/responses");
  CHECK(log[0]["body"]["instructions"].as_string() == "You are terse.");
  CHECK(log[0]["body"]["stream"].as_bool());
}

TEST_CASE("client: Azure OpenAI deployment URL, api-version and api-key header") {
  auto mock = start_mock(R"([{"text": "hi from azure"}])", {"az-secret"});
  auto cfg = mock_config(*mock,
                         {{"azure-endpoint", mock->root_url()},
                          {"azure-deployment", "gpt41-prod"},
                          {"api-version", "2024-10-21"}},
                         "az-secret");
  CHECK(cfg.provider == Provider::Azure);
  auto client = client_for(cfg);
  auto turn = client->complete(simple_request(), nullptr);
  REQUIRE(turn.ok());
  CHECK(turn->text == "hi from azure");
  auto log = mock->requests();
  REQUIRE(log.size() == 1);
  CHECK(log[0]["path"].as_string() == "/openai/deployments/gpt41-prod/chat/completions");
  CHECK(log[0]["query"]["api-version"].as_string() == "2024-10-21");
  CHECK(log[0]["auth"].as_string() == "api-key");
  CHECK(log[0]["auth_ok"].as_bool());
}

TEST_CASE("client: OpenAI organization and project headers are sent") {
  auto mock = start_mock(R"([{"text": "ok"}])");
  auto cfg =
      mock_config(*mock, {{"provider", "openai"}, {"organization", "org-abc"}, {"project", "proj_xyz"}});
  auto turn = client_for(cfg)->complete(simple_request(), nullptr);
  REQUIRE(turn.ok());
  auto log = mock->requests();
  REQUIRE(log.size() == 1);
  CHECK(log[0]["headers"]["openai-organization"].as_string() == "org-abc");
  CHECK(log[0]["headers"]["openai-project"].as_string() == "proj_xyz");
  CHECK(log[0]["headers"]["content-type"].as_string() == "application/json");
}

TEST_CASE("client: a local server runs without any key") {
  auto mock = start_mock(R"([{"text": "local"}])");
  auto cfg = mock_config(*mock, {}, "");
  CHECK(cfg.api_key.empty());
  auto turn = client_for(cfg)->complete(simple_request(), nullptr);
  REQUIRE(turn.ok());
  CHECK(turn->text == "local");
  auto log = mock->requests();
  REQUIRE(log.size() == 1);
  CHECK(log[0]["auth"].is_null());
}

TEST_CASE("client: an ill-formed request fails before any network") {
  auto mock = start_mock(R"([{"text": "never"}])");
  auto client = client_for(mock_config(*mock));
  Request r = simple_request();
  r.tools[0].name = "read file";
  auto turn = client->complete(r, nullptr);
  REQUIRE_FALSE(turn.ok());
  CHECK(turn.error().kind == ErrorKind::BadRequest);
  CHECK(mock->requests().empty());
}

TEST_CASE(
    "client: tool names streamed in fragments, with a repeated last fragment, assemble once (issue 15)") {
  auto mock = start_mock(R"([
    {"tool_calls": [{"id": "call_1", "name": "read_file", "name_fragments": ["read_", "file"], "arguments": {"path": "a.c"}}]},
    {"tool_calls": [{"id": "call_2", "name": "read_file", "name_fragments": ["read_", "file", "file"], "arguments": {"path": "b.c"}}]},
    {"tool_calls": [{"id": "call_3", "name": "read_file", "name_fragments": ["read_file", "read_file"], "arguments": {}}]}])");
  auto client = client_for(mock_config(*mock));
  for (const char* id : {"call_1", "call_2", "call_3"}) {
    INFO(id);
    auto turn = client->complete(simple_request(), nullptr);
    REQUIRE(turn.ok());
    REQUIRE(turn->tool_calls.size() == 1);
    CHECK(turn->tool_calls[0].id == id);
    CHECK(turn->tool_calls[0].name == "read_file");
  }
}

TEST_CASE("client: generation options on the wire for a reasoning and a non-reasoning model") {
  auto mock = start_mock(
      R"([{"text": "a", "usage": {"prompt_tokens": 10, "completion_tokens": 50, "reasoning_tokens": 40}},
                             {"text": "b"}])");
  auto client = client_for(mock_config(*mock));
  Request r = simple_request();
  r.generation.reasoning_effort = "high";
  r.generation.temperature = 0.1;
  r.generation.max_output_tokens = 3000;
  r.model = "o3";
  auto first = client->complete(r, nullptr);
  REQUIRE(first.ok());
  CHECK(first->usage.reasoning_tokens == 40);
  r.model = "gpt-4.1";
  REQUIRE(client->complete(r, nullptr).ok());
  auto log = mock->requests();
  REQUIRE(log.size() == 2);
  const auto& o3 = log[0]["body"];
  CHECK(o3["reasoning_effort"].as_string() == "high");
  CHECK(o3["max_completion_tokens"].as_int() == 3000);
  CHECK_FALSE(o3.has("temperature"));
  CHECK_FALSE(o3.has("max_tokens"));
  const auto& g41 = log[1]["body"];
  CHECK(g41["temperature"].as_double() == 0.1);
  CHECK(g41["max_completion_tokens"].as_int() == 3000);
  CHECK_FALSE(g41.has("reasoning_effort"));
}

TEST_CASE("client: Responses carries a reasoning model's encrypted reasoning items to the next turn") {
  for (const char* stream : {"true", "false"}) {
    INFO("stream " << stream);
    auto mock = start_mock(R"([
      {"reasoning": [{"id": "rs_a", "encrypted_content": "ENC-A"}], "text": "Reading.",
       "tool_calls": [{"id": "call_1", "name": "read_file", "arguments": {"path": "a.c"}}],
       "usage": {"prompt_tokens": 100, "completion_tokens": 80, "reasoning_tokens": 64}},
      {"reasoning": [{"id": "rs_b", "encrypted_content": "ENC-B"}], "text": "Done."}])");
    auto client = client_for(mock_config(*mock, {{"wire-api", "responses"}, {"stream", stream}}));
    Request r = simple_request();
    r.model = "gpt-5-mini";
    r.generation.reasoning_effort = "low";
    auto first = client->complete(r, nullptr);
    REQUIRE(first.ok());
    REQUIRE(first->reasoning.size() == 1);
    CHECK(first->reasoning[0]["encrypted_content"].as_string() == "ENC-A");
    CHECK(first->usage.reasoning_tokens == 64);
    CHECK(first->text == "Reading.");
    REQUIRE(first->tool_calls.size() == 1);
    r.messages.push_back(first->as_message());
    r.messages.push_back(Message::tool("call_1", "read_file", "int a;"));
    auto second = client->complete(r, nullptr);
    REQUIRE(second.ok());
    CHECK(second->text == "Done.");

    auto log = mock->requests();
    REQUIRE(log.size() == 2);
    const auto& body0 = log[0]["body"];
    CHECK(body0["store"].as_bool(true) == false);
    CHECK(body0["include"].at(0).as_string() == "reasoning.encrypted_content");
    CHECK(body0["reasoning"]["effort"].as_string() == "low");
    // The second request sends the reasoning item back, unchanged, before
    // the assistant's text and the function call it led to.
    const auto& input = log[1]["body"]["input"];
    REQUIRE(input.size() == 5);
    CHECK(input.at(0)["role"].as_string() == "user");
    CHECK(input.at(1)["type"].as_string() == "reasoning");
    CHECK(input.at(1)["id"].as_string() == "rs_a");
    CHECK(input.at(1)["encrypted_content"].as_string() == "ENC-A");
    CHECK(input.at(2)["role"].as_string() == "assistant");
    CHECK(input.at(3)["type"].as_string() == "function_call");
    CHECK(input.at(4)["type"].as_string() == "function_call_output");
  }
}
