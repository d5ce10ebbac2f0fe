// Endpoint settings: flag > env > config file > default, each with its
// source; provider inference; URLs for OpenAI, compatible and Azure; the key
// from the environment only; config errors that say what to set.
#include <catch2/catch.hpp>
#include <map>

#include "llm/client_factory.hpp"
#include "llm/config.hpp"
#include "llm/errors.hpp"
#include "llm/types.hpp"

using namespace ds::llm;

namespace {

using Map = std::map<std::string, std::string, std::less<>>;

struct Layers {
  Map flags, env, config;
  SettingLayers get() const {
    auto from = [](const Map& m) {
      return [&m](std::string_view k) -> std::optional<std::string> {
        auto it = m.find(k);
        if (it == m.end()) return std::nullopt;
        return it->second;
      };
    };
    return SettingLayers{from(flags), from(env), from(config), "/home/u/.config/diffsmith/config.toml"};
  }
};

const SettingInfo* setting(const EndpointConfig& c, std::string_view key) {
  for (const auto& s : c.settings) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("config: defaults are OpenAI's, with sources") {
  Layers l;
  l.env["OPENAI_API_KEY"] = "sk-test-1";
  auto c = resolve_endpoint(l.get());
  REQUIRE(c.ok());
  CHECK(c->provider == Provider::OpenAI);
  CHECK(c->wire == WireApi::Chat);
  CHECK(endpoint_url(*c) == "https://api.openai.com/v1/chat/completions");
  CHECK(c->model == "gpt-4.1");
  CHECK(c->stream);
  CHECK(c->retry.max_retries == 5);
  CHECK(setting(*c, "model")->source == "default");
  CHECK(setting(*c, "api-key")->source == "env OPENAI_API_KEY");
  CHECK(setting(*c, "api-key")->value == "(set)");
  for (const auto& s : c->settings) CHECK(s.value.find("sk-test-1") == std::string::npos);
  CHECK(check_credentials(*c).ok());
}

TEST_CASE("config: a flag beats the environment, which beats the config file") {
  Layers l;
  l.config["model"] = "gpt-4.1-nano";
  l.config["idle-timeout"] = "30";
  l.config["max-retries"] = "2";
  l.env["DIFFSMITH_MODEL"] = "gpt-4.1-mini";
  l.env["DIFFSMITH_IDLE_TIMEOUT"] = "45";
  l.flags["model"] = "gpt-4.1";
  l.env["OPENAI_API_KEY"] = "sk-x";
  auto c = resolve_endpoint(l.get());
  REQUIRE(c.ok());
  CHECK(c->model == "gpt-4.1");
  CHECK(setting(*c, "model")->source == "--model");
  CHECK(c->idle_timeout == std::chrono::milliseconds(45000));
  CHECK(setting(*c, "idle-timeout")->source == "env DIFFSMITH_IDLE_TIMEOUT");
  CHECK(c->retry.max_retries == 2);
  CHECK(setting(*c, "max-retries")->source == "config /home/u/.config/diffsmith/config.toml");
}

TEST_CASE("config: the API key never comes from a flag") {
  Layers l;
  l.flags["api-key"] = "sk-from-flag";
  auto c = resolve_endpoint(l.get());
  REQUIRE(c.ok());
  CHECK(c->api_key.empty());
  auto st = check_credentials(*c);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().kind == ErrorKind::Config);
  CHECK(st.error().message.find("OPENAI_API_KEY") != std::string::npos);
  CHECK(st.error().message.find("sk-from-flag") == std::string::npos);
  auto client = make_client(*c);
  REQUIRE_FALSE(client.ok());
  CHECK(client.error().kind == ErrorKind::Config);
}

TEST_CASE("config: a key in the config file works but is marked discouraged") {
  Layers l;
  l.config["api-key"] = "sk-cfg";
  auto c = resolve_endpoint(l.get());
  REQUIRE(c.ok());
  CHECK(c->api_key == "sk-cfg");
  CHECK(setting(*c, "api-key")->source.find("prefer the environment") != std::string::npos);
}

TEST_CASE("config: a non-default base URL means a compatible server, loopback needs no key") {
  Layers l;
  l.env["OPENAI_BASE_URL"] = "http://127.0.0.1:8080/v1/";
  auto c = resolve_endpoint(l.get());
  REQUIRE(c.ok());
  CHECK(c->provider == Provider::Compatible);
  CHECK(setting(*c, "provider")->source == "inferred from base-url");
  CHECK(endpoint_url(*c) == "http://127.0.0.1:8080/v1/chat/completions");
  CHECK(check_credentials(*c).ok());

  l.flags["wire-api"] = "responses";
  auto r = resolve_endpoint(l.get());
  REQUIRE(r.ok());
  CHECK(endpoint_url(*r) == "http://127.0.0.1:8080/v1/responses");

  Layers remote;
  remote.flags["base-url"] = "https://openrouter.ai/api/v1";
  auto rc = resolve_endpoint(remote.get());
  REQUIRE(rc.ok());
  CHECK_FALSE(check_credentials(*rc).ok());
}

TEST_CASE("config: Azure builds the deployment URL and wants AZURE_OPENAI_API_KEY") {
  Layers l;
  l.env["AZURE_OPENAI_ENDPOINT"] = "https://contoso.openai.azure.com/";
  l.flags["azure-deployment"] = "gpt41";
  l.env["OPENAI_API_KEY"] = "sk-openai-not-for-azure";
  auto c = resolve_endpoint(l.get());
  REQUIRE(c.ok());
  CHECK(c->provider == Provider::Azure);
  CHECK(endpoint_url(*c) ==
        "https://contoso.openai.azure.com/openai/deployments/gpt41/chat/completions?api-version=2024-10-21");
  auto st = check_credentials(*c);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().message.find("AZURE_OPENAI_API_KEY") != std::string::npos);

  l.env["AZURE_OPENAI_API_KEY"] = "az-key";
  l.env["OPENAI_API_VERSION"] = "2025-01-01-preview";
  auto k = resolve_endpoint(l.get());
  REQUIRE(k.ok());
  CHECK(endpoint_url(*k).find("api-version=2025-01-01-preview") != std::string::npos);
  ApiClientOptions o = client_options(*k);
  REQUIRE(o.headers.size() == 1);
  CHECK(o.headers[0].first == "api-key");
  CHECK(o.headers[0].second == "az-key");
}

TEST_CASE("config: OpenAI headers carry the bearer key, organization and project") {
  Layers l;
  l.env["OPENAI_API_KEY"] = "sk-1";
  l.env["OPENAI_ORGANIZATION"] = "org-9";
  l.env["OPENAI_PROJECT"] = "proj_7";
  auto c = resolve_endpoint(l.get());
  REQUIRE(c.ok());
  ApiClientOptions o = client_options(*c);
  REQUIRE(o.headers.size() == 3);
  CHECK(o.headers[0] == std::pair<std::string, std::string>{"Authorization", "Bearer sk-1"});
  CHECK(o.headers[1] == std::pair<std::string, std::string>{"OpenAI-Organization", "org-9"});
  CHECK(o.headers[2] == std::pair<std::string, std::string>{"OpenAI-Project", "proj_7"});
  CHECK(o.secrets == std::vector<std::string>{"sk-1"});
}

TEST_CASE("config: bad values are config errors naming the setting and its source") {
  auto fails = [](Layers l, const std::string& needle) {
    auto c = resolve_endpoint(l.get());
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().kind == ErrorKind::Config);
    INFO(c.error().message);
    CHECK(c.error().message.find(needle) != std::string::npos);
  };
  Layers a;
  a.flags["provider"] = "anthropic";
  fails(a, "provider");
  Layers b;
  b.env["DIFFSMITH_WIRE_API"] = "grpc";
  fails(b, "env DIFFSMITH_WIRE_API");
  Layers c;
  c.flags["idle-timeout"] = "0";
  fails(c, "idle-timeout");
  Layers d;
  d.flags["max-retries"] = "2.5";
  fails(d, "max-retries");
  Layers e;
  e.flags["stream"] = "maybe";
  fails(e, "stream");
  Layers f;
  f.flags["provider"] = "azure";
  fails(f, "AZURE_OPENAI_ENDPOINT");
  Layers g;
  g.flags["provider"] = "compatible";
  fails(g, "--base-url");
  Layers h;
  h.flags["record"] = "a.jsonl";
  h.flags["replay"] = "b.jsonl";
  fails(h, "--record and --replay");
  Layers i;
  i.flags["price-in"] = "-1";
  fails(i, "price-in");
  Layers j;
  j.flags["base-url"] = "api.example.com/v1";
  fails(j, "http");
  Layers k;
  k.env["AZURE_OPENAI_ENDPOINT"] = "https://x.openai.azure.com";
  k.env["AZURE_OPENAI_DEPLOYMENT"] = "d";
  k.flags["wire-api"] = "responses";
  fails(k, "azure");
}

TEST_CASE("config: prices and stream parse, replay needs no key") {
  Layers l;
  l.flags["price-in"] = "1.5";
  l.flags["price-out"] = "6";
  l.flags["stream"] = "false";
  l.flags["replay"] = "/tmp/none.jsonl";
  auto c = resolve_endpoint(l.get());
  REQUIRE(c.ok());
  CHECK(*c->prices.input == 1.5);
  CHECK_FALSE(c->prices.cached_input);
  CHECK(*c->prices.output == 6.0);
  CHECK_FALSE(c->stream);
  CHECK(check_credentials(*c).ok());
  // The cassette does not exist: a config error naming it.
  auto client = make_client(*c);
  REQUIRE_FALSE(client.ok());
  CHECK(client.error().kind == ErrorKind::Config);
  CHECK(client.error().message.find("/tmp/none.jsonl") != std::string::npos);
}

TEST_CASE("config: every setting has an environment variable and help") {
  for (const SettingSpec& s : endpoint_settings()) {
    CHECK(std::string(s.env).size() > 3);
    CHECK(std::string(s.help).size() > 5);
  }
}

TEST_CASE("config: redaction replaces real keys everywhere but leaves dummy keys alone") {
  CHECK(redact("key sk-abcdefgh1234 and sk-abcdefgh1234.", {"sk-abcdefgh1234"}) ==
        "key [redacted] and [redacted].");
  CHECK(redact("https://x.invalid", {"x"}) == "https://x.invalid");
  CHECK(redact("nothing here", {}) == "nothing here");
}
