// Endpoint settings: the table of keys, layered lookup with sources,
// validation, URL building and the credentials check.
#include "llm/config.hpp"

#include <cmath>
#include <cstdlib>
#include <map>

#include "llm/generation.hpp"
#include "llm/http.hpp"
#include "llm/types.hpp"
#include "text/redact.hpp"

namespace ds::llm {
namespace {

struct Found {
  std::string value;
  std::string source;
};

std::string strip_trailing_slashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

class Resolver {
 public:
  explicit Resolver(const SettingLayers& layers) : l_(layers) {}

  // The value of `key` from the first layer that has it.
  std::optional<Found> lookup(std::string_view key) const {
    if (l_.flag) {
      if (auto v = l_.flag(key); v && !v->empty()) return Found{*v, "--" + std::string(key)};
    }
    if (const char* env = env_name(key)) {
      if (auto v = env_value(env); v && !v->empty()) return Found{*v, "env " + std::string(env)};
    }
    if (l_.config) {
      if (auto v = l_.config(key); v && !v->empty()) return Found{*v, "config " + l_.config_path};
    }
    return std::nullopt;
  }

  std::optional<std::string> env_value(std::string_view name) const {
    if (l_.env) return l_.env(name);
    const char* v = std::getenv(std::string(name).c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  }

  // Looks `key` up, falling back to `fallback` (source "default"), and
  // records the result for doctor.
  std::string get(std::string_view key, std::string fallback = "", std::string fallback_source = "default") {
    std::optional<Found> f = lookup(key);
    if (!f) f = Found{std::move(fallback), std::move(fallback_source)};
    if (f->value.empty()) f->source = "unset";
    seen_[std::string(key)] = *f;
    return f->value;
  }

  const Found& found(std::string_view key) const { return seen_.at(std::string(key)); }
  const std::string& config_path() const { return l_.config_path; }

  std::vector<SettingInfo> infos() const {
    std::vector<SettingInfo> out;
    for (const SettingSpec& s : endpoint_settings()) {
      if (auto it = seen_.find(s.key); it != seen_.end()) {
        out.push_back(SettingInfo{s.key, it->second.value, it->second.source});
      }
    }
    return out;
  }

 private:
  static const char* env_name(std::string_view key) {
    for (const SettingSpec& s : endpoint_settings()) {
      if (key == s.key) return s.env;
    }
    return nullptr;
  }

  const SettingLayers& l_;
  std::map<std::string, Found> seen_;
};

Error bad_value(const Resolver& r, std::string_view key, std::string_view what) {
  const Found& f = r.found(key);
  return make_error("setting " + std::string(key) + " = \"" + text::redact(f.value) + "\" (from " + f.source +
                        ") " + std::string(what),
                    ErrorKind::Config);
}

std::optional<double> to_number(const std::string& s) {
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (s.empty() || end == s.c_str() || *end != '\0' || !std::isfinite(d)) return std::nullopt;
  return d;
}

std::optional<bool> to_bool(const std::string& s) {
  if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "0" || s == "no" || s == "off") return false;
  return std::nullopt;
}

// A positive number of seconds as milliseconds.
Result<std::chrono::milliseconds> seconds(Resolver& r, std::string_view key, const char* fallback,
                                          bool allow_zero) {
  std::string v = r.get(key, fallback);
  auto d = to_number(v);
  if (!d || *d < 0 || (!allow_zero && *d == 0)) {
    return bad_value(r, key,
                     allow_zero ? "is not a number of seconds >= 0" : "is not a number of seconds > 0");
  }
  return std::chrono::milliseconds(static_cast<int64_t>(*d * 1000));
}

Result<std::optional<double>> price(Resolver& r, std::string_view key) {
  std::string v = r.get(key);
  if (v.empty()) return std::optional<double>();
  auto d = to_number(v);
  if (!d || *d < 0) return bad_value(r, key, "is not a price >= 0 (USD per 1M tokens)");
  return std::optional<double>(*d);
}

}  // namespace

std::string_view provider_name(Provider p) {
  switch (p) {
    case Provider::OpenAI:
      return "openai";
    case Provider::Azure:
      return "azure";
    case Provider::Compatible:
      return "compatible";
  }
  return "openai";
}

const std::vector<SettingSpec>& endpoint_settings() {
  static const std::vector<SettingSpec> kSpecs = {
      {"provider", "DIFFSMITH_PROVIDER",
       "openai | azure | compatible (default: inferred from the other settings)"},
      {"base-url", "OPENAI_BASE_URL",
       "base URL of the OpenAI or OpenAI-compatible API (default https://api.openai.com/v1)"},
      {"model", "DIFFSMITH_MODEL", "model name (default gpt-4.1)"},
      {"wire-api", "DIFFSMITH_WIRE_API", "chat | responses (default chat)"},
      {"azure-endpoint", "AZURE_OPENAI_ENDPOINT",
       "Azure OpenAI resource endpoint, https://NAME.openai.azure.com"},
      {"azure-deployment", "AZURE_OPENAI_DEPLOYMENT", "Azure OpenAI deployment name"},
      {"api-version", "OPENAI_API_VERSION", "Azure OpenAI api-version (default 2024-10-21)"},
      {"organization", "OPENAI_ORGANIZATION", "OpenAI organization id (OpenAI-Organization header)"},
      {"project", "OPENAI_PROJECT", "OpenAI project id (OpenAI-Project header)"},
      {"connect-timeout", "DIFFSMITH_CONNECT_TIMEOUT", "seconds allowed to connect (default 10)"},
      {"idle-timeout", "DIFFSMITH_IDLE_TIMEOUT",
       "seconds without data before a request is abandoned and retried (default 120)"},
      {"max-retries", "DIFFSMITH_MAX_RETRIES", "retries per model request (default 5)"},
      {"max-retry-wait", "DIFFSMITH_MAX_RETRY_WAIT",
       "most seconds spent waiting between retries of one request (default 120)"},
      {"stream", "DIFFSMITH_STREAM", "stream replies: true | false (default true)"},
      {"price-in", "DIFFSMITH_PRICE_IN", "input price, USD per 1M tokens (overrides the table)"},
      {"price-cached", "DIFFSMITH_PRICE_CACHED", "cached input price, USD per 1M tokens"},
      {"price-out", "DIFFSMITH_PRICE_OUT", "output price, USD per 1M tokens"},
      {"record", "DIFFSMITH_RECORD", "append every request and raw response to this JSONL cassette"},
      {"replay", "DIFFSMITH_REPLAY", "answer from this cassette instead of the network"},
  };
  static const std::vector<SettingSpec> kAll = [] {
    std::vector<SettingSpec> all = kSpecs;
    all.insert(all.end(), generation_settings().begin(), generation_settings().end());
    return all;
  }();
  return kAll;
}

Result<EndpointConfig> resolve_endpoint(const SettingLayers& layers) {
  Resolver r(layers);
  EndpointConfig cfg;

  // Provider: explicit, or inferred from which endpoint settings are present.
  std::string azure_endpoint = r.get("azure-endpoint");
  std::string base_url = r.get("base-url", kDefaultBaseUrl);
  std::string provider = r.get("provider");
  if (provider.empty()) {
    if (!azure_endpoint.empty()) {
      r.get("provider", "azure", "inferred from azure-endpoint");
    } else if (r.found("base-url").source != "default" &&
               strip_trailing_slashes(base_url) != kDefaultBaseUrl) {
      r.get("provider", "compatible", "inferred from base-url");
    } else {
      r.get("provider", "openai", "default");
    }
    provider = r.found("provider").value;
  }
  if (provider == "openai") {
    cfg.provider = Provider::OpenAI;
  } else if (provider == "azure") {
    cfg.provider = Provider::Azure;
  } else if (provider == "compatible") {
    cfg.provider = Provider::Compatible;
  } else {
    return bad_value(r, "provider", "is not one of openai, azure, compatible");
  }

  std::string wire = r.get("wire-api", "chat");
  if (wire == "chat") {
    cfg.wire = WireApi::Chat;
  } else if (wire == "responses") {
    cfg.wire = WireApi::Responses;
  } else {
    return bad_value(r, "wire-api", "is not one of chat, responses");
  }

  cfg.base_url = strip_trailing_slashes(base_url);
  if (cfg.base_url.rfind("http://", 0) != 0 && cfg.base_url.rfind("https://", 0) != 0) {
    return bad_value(r, "base-url", "is not an http:// or https:// URL");
  }
  cfg.model = r.get("model", kDefaultModel);
  cfg.azure_endpoint = strip_trailing_slashes(azure_endpoint);
  cfg.azure_deployment = r.get("azure-deployment");
  cfg.api_version = r.get("api-version", kDefaultAzureApiVersion);
  cfg.organization = r.get("organization");
  cfg.project = r.get("project");

  if (cfg.provider == Provider::Azure) {
    if (cfg.azure_endpoint.empty()) {
      return make_error(
          "provider azure needs the resource endpoint: set --azure-endpoint or AZURE_OPENAI_ENDPOINT "
          "(https://NAME.openai.azure.com)",
          ErrorKind::Config);
    }
    if (cfg.azure_deployment.empty()) {
      return make_error(
          "provider azure needs a deployment name: set --azure-deployment or AZURE_OPENAI_DEPLOYMENT",
          ErrorKind::Config);
    }
    if (cfg.wire == WireApi::Responses) {
      return make_error("wire-api responses is not supported with provider azure; use --wire-api chat",
                        ErrorKind::Config);
    }
  }
  if (cfg.provider == Provider::Compatible && r.found("base-url").source == "default") {
    return make_error(
        "provider compatible needs the server's base URL: set --base-url or OPENAI_BASE_URL "
        "(e.g. http://127.0.0.1:8000/v1)",
        ErrorKind::Config);
  }

  auto connect = seconds(r, "connect-timeout", "10", false);
  if (!connect.ok()) return connect.error();
  cfg.connect_timeout = *connect;
  auto idle = seconds(r, "idle-timeout", "120", false);
  if (!idle.ok()) return idle.error();
  cfg.idle_timeout = *idle;
  std::string retries = r.get("max-retries", "5");
  auto n = to_number(retries);
  if (!n || *n < 0 || *n > 100 || *n != std::floor(*n))
    return bad_value(r, "max-retries", "is not a whole number 0-100");
  cfg.retry.max_retries = static_cast<int>(*n);
  auto wait = seconds(r, "max-retry-wait", "120", true);
  if (!wait.ok()) return wait.error();
  cfg.retry.max_total_wait = *wait;
  auto stream = to_bool(r.get("stream", "true"));
  if (!stream) return bad_value(r, "stream", "is not true or false");
  cfg.stream = *stream;

  for (auto [key, slot] :
       {std::pair{"price-in", &cfg.prices.input}, std::pair{"price-cached", &cfg.prices.cached_input},
        std::pair{"price-out", &cfg.prices.output}}) {
    auto p = price(r, key);
    if (!p.ok()) return p.error();
    *slot = *p;
  }

  cfg.record_path = r.get("record");
  cfg.replay_path = r.get("replay");
  if (!cfg.record_path.empty() && !cfg.replay_path.empty()) {
    return make_error("--record and --replay cannot be used together; choose one", ErrorKind::Config);
  }

  // The key: environment first, then (discouraged) the config file; never a flag.
  cfg.api_key_env = cfg.provider == Provider::Azure ? "AZURE_OPENAI_API_KEY" : "OPENAI_API_KEY";
  if (auto v = r.env_value(cfg.api_key_env); v && !v->empty()) {
    cfg.api_key = *v;
    cfg.api_key_source = "env " + cfg.api_key_env;
  } else if (layers.config) {
    if (auto c = layers.config("api-key"); c && !c->empty()) {
      cfg.api_key = *c;
      cfg.api_key_source = "config " + layers.config_path + " (prefer the environment)";
    }
  }
  // From here on every sink (events, trajectory, cassette, reports) redacts it.
  text::register_secret(cfg.api_key);
  cfg.settings = r.infos();
  auto generation = resolve_generation(layers, &cfg.settings);
  if (!generation.ok()) return generation.error();
  cfg.generation = *generation;
  cfg.refused = layers.refused;
  cfg.settings.push_back(
      SettingInfo{"api-key", cfg.api_key.empty() ? "" : "(set)",
                  cfg.api_key.empty() ? "unset (" + cfg.api_key_env + ")" : cfg.api_key_source});
  return cfg;
}

std::string endpoint_url(const EndpointConfig& cfg) {
  if (cfg.provider == Provider::Azure) {
    return cfg.azure_endpoint + "/openai/deployments/" + cfg.azure_deployment +
           "/chat/completions?api-version=" + cfg.api_version;
  }
  return cfg.base_url + (cfg.wire == WireApi::Chat ? "/chat/completions" : "/responses");
}

Status check_credentials(const EndpointConfig& cfg) {
  if (!cfg.replay_path.empty() || !cfg.api_key.empty()) return Ok{};
  std::string url = endpoint_url(cfg);
  if (is_loopback_url(url)) return Ok{};
  return make_error("no API key for " + std::string(provider_name(cfg.provider)) + " endpoint " +
                        redact_url(url) + ": set " + cfg.api_key_env + " in the environment (export " +
                        cfg.api_key_env + "=...); keys are never read from flags",
                    ErrorKind::Config);
}

}  // namespace ds::llm
