// `diffsmith doctor`: shows the resolved model endpoint and where each setting
// came from, sends one tiny request, and reports latency, model, usage and
// rate-limit headers, or the exact failure.
#pragma once

#include <ostream>

#include "llm/config.hpp"

namespace ds::agent {

// Exit code: 0 the endpoint answered, 2 configuration error (e.g. no key),
// 3 API failure (130 if interrupted). Settings and the result go to `out`,
// failures to `err`. The API key is never printed.
int run_doctor(const llm::EndpointConfig& cfg, std::ostream& out, std::ostream& err);

}  // namespace ds::agent
