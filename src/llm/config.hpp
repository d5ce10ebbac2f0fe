// Where the model endpoint and client settings come from: flags override
// environment variables, which override the config file, which overrides
// defaults. Each resolved setting remembers its source for `diffsmith
// doctor`. The API key comes only from the environment (or, discouraged, the
// config file), never from a flag.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "llm/pricing.hpp"
#include "llm/retry.hpp"
#include "llm/wire.hpp"

namespace ds::llm {

enum class Provider { OpenAI, Azure, Compatible };
std::string_view provider_name(Provider p);  // "openai" | "azure" | "compatible"

inline constexpr const char* kDefaultBaseUrl = "https://api.openai.com/v1";
inline constexpr const char* kDefaultModel = "gpt-4.1";
inline constexpr const char* kDefaultAzureApiVersion = "2024-10-21";

// One setting the CLI should offer as --<key>: its environment variable and
// help text. Values of timeouts and waits are seconds; prices USD per 1M
// tokens.
struct SettingSpec {
  const char* key;
  const char* env;
  const char* help;
};
const std::vector<SettingSpec>& endpoint_settings();

struct SettingInfo {
  std::string key;
  std::string value;   // "" when unset; the API key shows as "(set)"
  std::string source;  // "--base-url", "env OPENAI_BASE_URL", "config <path>", "default", ...
};

// The lookup layers. Each returns the value for a key (flag, config) or a
// variable name (env), or nullopt; empty values count as unset. `env`
// defaults to std::getenv when not supplied.
struct SettingLayers {
  std::function<std::optional<std::string>(std::string_view key)> flag;
  std::function<std::optional<std::string>(std::string_view name)> env;
  std::function<std::optional<std::string>(std::string_view key)> config;
  std::string config_path;  // shown in sources: "config <path>"
  // Settings a config file tried to set and was not trusted with (a
  // repository's .diffsmith.toml); value: why ("" : it may not set it at
  // all), source "config <path>". Doctor lists them.
  std::vector<SettingInfo> refused;
};

struct EndpointConfig {
  Provider provider = Provider::OpenAI;
  WireApi wire = WireApi::Chat;
  std::string base_url = kDefaultBaseUrl;  // openai / compatible
  std::string model = kDefaultModel;
  std::string azure_endpoint;  // https://NAME.openai.azure.com
  std::string azure_deployment;
  std::string api_version = kDefaultAzureApiVersion;
  std::string organization, project;           // OpenAI-Organization / OpenAI-Project
  std::string api_key;                         // never printed, logged or recorded
  std::string api_key_env = "OPENAI_API_KEY";  // where the key is expected
  std::string api_key_source;                  // "" when no key was found
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds idle_timeout{120000};
  RetryPolicy retry;  // max-retries and max-retry-wait land here
  bool stream = true;
  PriceOverrides prices;
  GenerationOptions generation;  // reasoning-effort, temperature, max-output-tokens
  std::string record_path, replay_path;
  std::vector<SettingInfo> settings;  // every setting with its source, for doctor
  std::vector<SettingInfo> refused;   // SettingLayers::refused, for doctor

  // Run-time hooks, not settings: set by the caller after resolving.
  std::shared_ptr<RateGate> gate;
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(const RetryNotice&)> on_retry;
};

// Resolves every setting through the layers and checks values (bad provider,
// wire API, numbers, azure without endpoint/deployment, compatible without a
// base URL, record together with replay): errors are ErrorKind::Config.
Result<EndpointConfig> resolve_endpoint(const SettingLayers& layers);

// The full POST URL: {base}/chat/completions, {base}/responses, or Azure's
// {endpoint}/openai/deployments/{d}/chat/completions?api-version=V.
std::string endpoint_url(const EndpointConfig& cfg);

// ErrorKind::Config when a real request would go out without a key: replay needs
// none, and a loopback base URL (a local server) may run without one.
Status check_credentials(const EndpointConfig& cfg);

}  // namespace ds::llm
