// Record and replay: a session recorded against the python mock replays
// offline with the same turns and streamed text; replay runs out clearly;
// errors replay as errors; the API key is in no cassette, log or message.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "llm/cassette.hpp"
#include "llm/client_factory.hpp"
#include "llm/config.hpp"
#include "llm/errors.hpp"
#include "support/mock_client.hpp"
#include "support/temp_dir.hpp"

using namespace ds::llm;
using namespace ds::test;  // MockServer, start_mock, client_for, TempDir

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

EndpointConfig config(std::map<std::string, std::string> flags, std::string key) {
  SettingLayers layers;
  layers.flag = [flags](std::string_view k) -> std::optional<std::string> {
    auto it = flags.find(std::string(k));
    return it == flags.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  layers.env = [key](std::string_view name) -> std::optional<std::string> {
    if (name == "OPENAI_API_KEY" && !key.empty()) return key;
    return std::nullopt;
  };
  auto c = resolve_endpoint(layers);
  if (!c.ok()) FAIL(c.error().message);
  c->retry.initial_backoff = std::chrono::milliseconds(10);
  c->retry.max_backoff = std::chrono::milliseconds(20);
  return *c;
}

Request ask(const std::string& text) {
  Request r;
  r.model = "gpt-4.1";
  r.messages.push_back(Message::user(text));
  return r;
}

size_t count_lines(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace

TEST_CASE("cassette: a recorded session replays offline, streamed text included") {
  TempDir tmp("ds-cassette-");
  const std::string cassette = tmp.path + "/session.jsonl";
  std::vector<Turn> live;
  std::string live_streamed;
  {
    auto mock = start_mock(R"([
      {"status": 500},
      {"text": "First, read the file.", "tool_calls": [{"id": "call_1", "name": "read_file", "arguments": {"path": "a.c"}}],
       "usage": {"prompt_tokens": 2000, "completion_tokens": 20, "cached_tokens": 1024}},
      {"text": "Done editing."}])");
    auto client = client_for(config({{"base-url", mock->base_url()}, {"record", cassette}}, "sk-rec"));
    for (const char* q : {"one", "two"}) {
      auto t = client->complete(ask(q), [&](std::string_view s) { live_streamed += s; });
      REQUIRE(t.ok());
      live.push_back(*t);
    }
    CHECK(live[0].attempts == 2);  // the 500 was retried...
  }
  std::string text = slurp(cassette);
  CHECK(count_lines(text) == 2);  // ...and only the final attempt was recorded
  auto entries = load_cassette(cassette);
  REQUIRE(entries.ok());
  REQUIRE(entries->size() == 2);
  CHECK((*entries)[0].status == 200);
  CHECK((*entries)[0].request["messages"].at(0)["content"].as_string() == "one");
  CHECK((*entries)[0].url.find("/v1/chat/completions") != std::string::npos);
  CHECK((*entries)[0].response.rfind("data: ", 0) == 0);
  CHECK((*entries)[0].headers.at("x-request-id") == "req_mock_2");

  // The mock is gone: replay needs no network and no key.
  auto replay = client_for(config({{"replay", cassette}}, ""));
  std::string replay_streamed;
  for (size_t i = 0; i < 2; ++i) {
    auto t = replay->complete(ask("anything"), [&](std::string_view s) { replay_streamed += s; });
    REQUIRE(t.ok());
    CHECK(t->text == live[i].text);
    CHECK(t->finish_reason == live[i].finish_reason);
    CHECK(t->usage.prompt_tokens == live[i].usage.prompt_tokens);
    CHECK(t->usage.cached_tokens == live[i].usage.cached_tokens);
    CHECK(t->request_id == live[i].request_id);
    CHECK(t->rate_limits == live[i].rate_limits);
    REQUIRE(t->tool_calls.size() == live[i].tool_calls.size());
    if (!t->tool_calls.empty()) CHECK(t->tool_calls[0].args["path"].as_string() == "a.c");
  }
  CHECK(replay_streamed == "First, read the file.Done editing.");
  auto past_end = replay->complete(ask("three"), nullptr);
  REQUIRE_FALSE(past_end.ok());
  CHECK(past_end.error().kind == ErrorKind::ReplayExhausted);
  CHECK(past_end.error().message.find("has 2 responses; request 3 has none") != std::string::npos);
  CHECK(past_end.error().message.find(cassette) != std::string::npos);
}

TEST_CASE("cassette: non-streamed and Responses exchanges replay through their own parsers") {
  TempDir tmp("ds-cassette-");
  const std::string cassette = tmp.path + "/r.jsonl";
  {
    auto mock = start_mock(
        R"([{"text": "whole body"}, {"text": "responses stream", "tool_calls": [{"name": "run_tests", "arguments": {}}]}])");
    auto whole =
        client_for(config({{"base-url", mock->base_url()}, {"record", cassette}, {"stream", "false"}}, "k1"));
    REQUIRE(whole->complete(ask("a"), nullptr).ok());
    auto resp = client_for(
        config({{"base-url", mock->base_url()}, {"record", cassette}, {"wire-api", "responses"}}, "k1"));
    REQUIRE(resp->complete(ask("b"), nullptr).ok());
  }
  auto replay = client_for(config({{"replay", cassette}}, ""));
  std::string streamed;
  auto a = replay->complete(ask("a"), [&](std::string_view s) { streamed += s; });
  REQUIRE(a.ok());
  CHECK(a->text == "whole body");
  auto b = replay->complete(ask("b"), [&](std::string_view s) { streamed += s; });
  REQUIRE(b.ok());
  CHECK(b->text == "responses stream");
  REQUIRE(b->tool_calls.size() == 1);
  CHECK(b->tool_calls[0].name == "run_tests");
  CHECK(streamed == "whole bodyresponses stream");
}

TEST_CASE("cassette: replay checks the live request, and replays recorded errors as errors") {
  TempDir tmp("ds-cassette-");
  const std::string cassette = tmp.path + "/e.jsonl";
  {
    auto mock =
        start_mock(R"([{"status": 400, "body": {"error": {"message": "maximum context length exceeded",
                               "type": "invalid_request_error", "code": "context_length_exceeded"}}}])");
    auto client = client_for(config({{"base-url", mock->base_url()}, {"record", cassette}}, "k"));
    auto t = client->complete(ask("big"), nullptr);
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().kind == ErrorKind::ContextLength);
  }
  auto replay = client_for(config({{"replay", cassette}}, ""));
  Request bad = ask("x");
  bad.model.clear();
  auto rejected = replay->complete(bad, nullptr);
  REQUIRE_FALSE(rejected.ok());
  CHECK(rejected.error().kind == ErrorKind::BadRequest);
  auto t = replay->complete(ask("big"), nullptr);  // the bad request consumed nothing
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().kind == ErrorKind::ContextLength);
  CHECK(t.error().message.find("entry 1") != std::string::npos);
  CHECK(t.error().message.find("HTTP 400") != std::string::npos);
}

TEST_CASE("cassette: an unreadable line is a config error naming the line") {
  TempDir tmp("ds-cassette-");
  const std::string cassette = tmp.path + "/bad.jsonl";
  std::ofstream(cassette) << R"({"request":{},"url":"u","status":200,"headers":{},"response":"{}"})"
                          << "\n"
                          << "{not json\n";
  auto c = load_cassette(cassette);
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().kind == ErrorKind::Config);
  CHECK(c.error().message.find("line 2") != std::string::npos);
}

TEST_CASE("cassette: the API key appears in no cassette, log, retry notice or error text") {
  TempDir tmp("ds-cassette-");
  const std::string cassette = tmp.path + "/k.jsonl";
  const std::string key = "sk-proj-SECRET-4f9a8b7c6d5e";
  std::string notices;
  std::string errors;
  {
    // The mock requires another key and echoes whatever it was sent.
    auto strict = start_mock(R"([{"text": "never"}])", {"sk-other"});
    auto cfg = config({{"provider", "openai"}, {"base-url", strict->base_url()}, {"record", cassette}}, key);
    cfg.on_retry = [&](const RetryNotice& n) { notices += n.reason; };
    auto t = client_for(cfg)->complete(ask("q"), nullptr);
    REQUIRE_FALSE(t.ok());
    errors += t.error().message;
    CHECK(strict->request_log().find(key) == std::string::npos);
  }
  {
    auto mock = start_mock(R"([{"status": 502, "body": "bad gateway for key sk-proj-SECRET-4f9a8b7c6d5e"},
                               {"text": "fine"}])");
    auto cfg = config({{"provider", "openai"}, {"base-url", mock->base_url()}, {"record", cassette}}, key);
    cfg.on_retry = [&](const RetryNotice& n) { notices += n.reason; };
    auto t = client_for(cfg)->complete(ask("q"), nullptr);
    REQUIRE(t.ok());
    CHECK(mock->request_log().find(key) == std::string::npos);
    CHECK(mock->requests().at(0)["auth"].as_string() == "bearer");  // the key was sent
  }
  std::string recorded = slurp(cassette);
  CHECK(count_lines(recorded) == 2);
  CHECK(recorded.find("Incorrect API key provided") != std::string::npos);
  CHECK(recorded.find(key) == std::string::npos);
  CHECK(recorded.find("[redacted]") != std::string::npos);
  CHECK(recorded.find("Bearer") == std::string::npos);
  CHECK(errors.find("Incorrect API key") != std::string::npos);
  CHECK(errors.find(key) == std::string::npos);
  CHECK(notices.find("bad gateway") != std::string::npos);
  CHECK(notices.find(key) == std::string::npos);
}
