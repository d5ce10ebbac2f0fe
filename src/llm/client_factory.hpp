// make_client: the Client an EndpointConfig asks for: the HTTP client for the
// chat or responses wire API, wrapped in the recorder when --record is set,
// or the replay client when --replay is set.
#pragma once

#include <memory>

#include "base/result.hpp"
#include "llm/api_client.hpp"
#include "llm/config.hpp"
#include "llm/types.hpp"

namespace ds::llm {

// The ApiClient options for a resolved config: URL, auth headers (Bearer +
// OpenAI-Organization/-Project, or Azure's api-key), timeouts, retries, hooks.
ApiClientOptions client_options(const EndpointConfig& cfg);

// ErrorKind::Config when credentials are missing (see check_credentials) or the
// replay cassette cannot be read.
Result<std::unique_ptr<Client>> make_client(const EndpointConfig& cfg);

}  // namespace ds::llm
