// Building the configured Client.
#include "llm/client_factory.hpp"

#include "llm/cassette.hpp"

namespace ds::llm {

ApiClientOptions client_options(const EndpointConfig& cfg) {
  ApiClientOptions o;
  o.wire = cfg.wire;
  o.url = endpoint_url(cfg);
  if (cfg.provider == Provider::Azure) {
    if (!cfg.api_key.empty()) o.headers.emplace_back("api-key", cfg.api_key);
  } else {
    if (!cfg.api_key.empty()) o.headers.emplace_back("Authorization", "Bearer " + cfg.api_key);
    if (!cfg.organization.empty()) o.headers.emplace_back("OpenAI-Organization", cfg.organization);
    if (!cfg.project.empty()) o.headers.emplace_back("OpenAI-Project", cfg.project);
  }
  if (!cfg.api_key.empty()) o.secrets.push_back(cfg.api_key);
  o.key_env = cfg.api_key_env;
  o.stream = cfg.stream;
  o.connect_timeout = cfg.connect_timeout;
  o.idle_timeout = cfg.idle_timeout;
  o.retry = cfg.retry;
  o.gate = cfg.gate;
  o.cancel = cfg.cancel;
  o.on_retry = cfg.on_retry;
  o.capture_exchange = !cfg.record_path.empty();
  return o;
}

Result<std::unique_ptr<Client>> make_client(const EndpointConfig& cfg) {
  if (!cfg.replay_path.empty()) {
    auto replay = ReplayClient::open(cfg.replay_path);
    if (!replay.ok()) return replay.error();
    return std::unique_ptr<Client>(std::move(*replay));
  }
  if (Status st = check_credentials(cfg); !st.ok()) return st.error();
  auto api = std::make_unique<ApiClient>(client_options(cfg));
  if (!cfg.record_path.empty()) {
    return std::unique_ptr<Client>(std::make_unique<RecordingClient>(std::move(api), cfg.record_path));
  }
  return std::unique_ptr<Client>(std::move(api));
}

}  // namespace ds::llm
