// The llm tests' way to the mock: start_mock starts tests/mock/mock_openai.py
// (support/mock_server.hpp) or fails the test, mock_config resolves an
// EndpointConfig aimed at it through the real settings layers (flags and a
// fake environment holding the key) with short retry waits, and client_for
// makes the client or fails the test.
#pragma once

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "llm/client_factory.hpp"
#include "llm/config.hpp"
#include "support/mock_server.hpp"

namespace ds::test {

inline std::unique_ptr<MockServer> start_mock(const std::string& script, MockServer::Options o = {}) {
  auto m = MockServer::start(script, o);
  if (!m.ok()) FAIL(m.error().message);
  return std::move(*m);
}

// `flags` are the command-line settings (base-url defaults to the mock's
// unless azure-endpoint is given); `key` is what OPENAI_API_KEY and
// AZURE_OPENAI_API_KEY hold.
inline llm::EndpointConfig mock_config(const MockServer& m, std::map<std::string, std::string> flags = {},
                                       std::string key = "sk-test-key") {
  if (!flags.count("base-url") && !flags.count("azure-endpoint")) flags["base-url"] = m.base_url();
  llm::SettingLayers layers;
  layers.flag = [flags](std::string_view k) -> std::optional<std::string> {
    auto it = flags.find(std::string(k));
    return it == flags.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  layers.env = [key](std::string_view name) -> std::optional<std::string> {
    if (name == "OPENAI_API_KEY" || name == "AZURE_OPENAI_API_KEY") return key;
    return std::nullopt;
  };
  auto c = llm::resolve_endpoint(layers);
  if (!c.ok()) FAIL(c.error().message);
  c->retry.initial_backoff = std::chrono::milliseconds(10);
  c->retry.max_backoff = std::chrono::milliseconds(40);
  return *c;
}

inline std::unique_ptr<llm::Client> client_for(const llm::EndpointConfig& cfg) {
  auto c = llm::make_client(cfg);
  if (!c.ok()) FAIL(c.error().message);
  return std::move(*c);
}

}  // namespace ds::test
