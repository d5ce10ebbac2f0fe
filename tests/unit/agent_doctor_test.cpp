// `diffsmith doctor` against the python mock: settings with sources, the tiny
// request's latency, model, usage and rate limits; exit 3 on an API failure,
// 2 on a configuration error; the key never printed.
#include <catch2/catch.hpp>
#include <map>
#include <sstream>

#include "agent/cli/doctor.hpp"
#include "support/mock_server.hpp"

using namespace ds;
using ds::test::MockServer;

namespace {

llm::EndpointConfig config(std::map<std::string, std::string> flags, std::string key) {
  llm::SettingLayers layers;
  layers.flag = [flags](std::string_view k) -> std::optional<std::string> {
    auto it = flags.find(std::string(k));
    return it == flags.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  layers.env = [key](std::string_view name) -> std::optional<std::string> {
    if (name == "OPENAI_API_KEY" && !key.empty()) return key;
    return std::nullopt;
  };
  auto c = llm::resolve_endpoint(layers);
  if (!c.ok()) FAIL(c.error().message);
  c->retry.initial_backoff = std::chrono::milliseconds(10);
  return *c;
}

std::unique_ptr<MockServer> start_mock(const std::string& script, MockServer::Options o = {}) {
  auto m = MockServer::start(script, o);
  if (!m.ok()) FAIL(m.error().message);
  return std::move(*m);
}

bool has(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("doctor: a healthy endpoint prints settings, latency, model, usage and rate limits") {
  const std::string key = "sk-doctor-secret-77";
  auto mock = start_mock(R"([{"text": "ok", "model": "gpt-4.1-mini-2025-04-14",
                              "usage": {"prompt_tokens": 14, "completion_tokens": 1, "cached_tokens": 0}}])",
                         {key});
  std::ostringstream out, err;
  int rc = agent::run_doctor(
      config({{"provider", "openai"}, {"base-url", mock->base_url()}, {"model", "gpt-4.1-mini"}}, key), out,
      err);
  INFO(out.str() << err.str());
  CHECK(rc == 0);
  const std::string o = out.str();
  CHECK(has(o, "provider"));
  CHECK(has(o, "(--provider)"));
  CHECK(has(o, "(env OPENAI_API_KEY)"));
  CHECK(has(o, "POST " + mock->base_url() + "/chat/completions"));
  CHECK(has(o, "answered in"));
  CHECK(has(o, "gpt-4.1-mini-2025-04-14"));
  CHECK(has(o, "req_mock_1"));
  CHECK(has(o, "prompt 14 (cached 0), completion 1"));
  CHECK(has(o, "$0.0000"));
  CHECK(has(o, "x-ratelimit-remaining-tokens: 29000"));
  CHECK_FALSE(has(o + err.str(), key));
  auto log = mock->requests();
  REQUIRE(log.size() == 1);
  CHECK(log[0]["body"]["max_completion_tokens"].as_int() == 16);
}

TEST_CASE("doctor: an API failure exits 3 with the server's message") {
  auto mock = start_mock(R"([{"status": 404, "body": {"error": {"message": "The model `gpt-9` does not exist",
                              "type": "invalid_request_error", "code": "model_not_found"}}}])");
  std::ostringstream out, err;
  int rc = agent::run_doctor(config({{"base-url", mock->base_url()}, {"model", "gpt-9"}}, "sk-x"), out, err);
  CHECK(rc == 3);
  CHECK(has(err.str(), "HTTP 404"));
  CHECK(has(err.str(), "does not exist"));
  CHECK(has(err.str(), "req_mock_1"));
  CHECK(has(err.str(), "--model"));
}

TEST_CASE("doctor: a missing key for a real endpoint exits 2 naming the variable") {
  std::ostringstream out, err;
  int rc = agent::run_doctor(config({{"base-url", "https://api.example.invalid/v1"}}, ""), out, err);
  CHECK(rc == 2);
  CHECK(has(err.str(), "OPENAI_API_KEY"));
  CHECK(has(out.str(), "unset (OPENAI_API_KEY)"));
}

TEST_CASE("doctor: an unknown model's cost is stated as unknown") {
  auto mock = start_mock(R"([{"text": "ok", "model": "qwen2.5-coder-7b"}])");
  std::ostringstream out, err;
  int rc = agent::run_doctor(config({{"base-url", mock->base_url()}, {"model", "qwen2.5-coder-7b"}}, ""), out,
                             err);
  CHECK(rc == 0);
  CHECK(has(out.str(), "cost unknown for model qwen2.5-coder-7b"));
}
