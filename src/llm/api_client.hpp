// ApiClient: the model client over HTTP for either wire API, with the retry
// loop both share (retryable statuses, Retry-After, backoff, RateGate),
// streamed text passed on as it arrives, and errors that name the endpoint,
// status, the server's message and request id, never the key.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "llm/http.hpp"
#include "llm/retry.hpp"
#include "llm/types.hpp"
#include "llm/wire.hpp"

namespace ds::llm {

struct ApiClientOptions {
  WireApi wire = WireApi::Chat;
  std::string url;  // the full POST URL
  // Authentication and other request headers. Never logged or recorded.
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> secrets;        // redacted from every message
  std::string key_env = "OPENAI_API_KEY";  // named in auth advice
  bool stream = true;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds idle_timeout{120000};
  RetryPolicy retry;
  std::shared_ptr<RateGate> gate;             // optional, shared by workers
  const std::atomic<bool>* cancel = nullptr;  // set by the SIGINT handler
  std::function<void(const RetryNotice&)> on_retry;
  bool capture_exchange = false;  // keep the final attempt for the recorder
};

// The final attempt of one complete() call, as the recorder stores it.
struct Exchange {
  std::string url;       // user:password@ redacted
  json::Value request;   // the request body
  int status = 0;        // 0 when no response arrived
  Headers headers;       // response headers
  std::string response;  // the raw response body (the SSE text when streamed)
  std::string error;     // transport failure when status is 0
  bool interrupted = false;
  std::chrono::milliseconds latency{0};
};

class ApiClient final : public Client {
 public:
  // `transport` defaults to a CurlTransport.
  explicit ApiClient(ApiClientOptions options, std::unique_ptr<HttpTransport> transport = nullptr);

  Result<Turn> complete(const Request& req, const TextCallback& on_text) override;

  // The final attempt of the last complete() (only with capture_exchange).
  const std::optional<Exchange>& last_exchange() const { return last_exchange_; }
  const ApiClientOptions& options() const { return o_; }

 private:
  struct Attempt;
  Attempt attempt_once(const HttpRequest& http, const TextCallback& on_text,
                       const std::vector<std::string>& tool_names);

  ApiClientOptions o_;
  bool endpoint_answered_ = false;  // some attempt got an HTTP status back
  std::unique_ptr<HttpTransport> transport_;
  std::optional<Exchange> last_exchange_;
  std::mt19937 rng_;
};

// Helpers shared with the replay client.
std::string request_id_of(const Headers& h);                          // x-request-id (Azure: apim-request-id)
std::map<std::string, std::string> rate_limits_of(const Headers& h);  // x-ratelimit-*
// True when a reply body is a JSON document rather than an event stream
// (servers that ignore stream:true, or errors sent with status 200).
bool looks_like_json_body(std::string_view raw);
// Cause text and kind for a non-2xx reply: "HTTP 429: <message> (type t,
// code c)".
Error http_status_error(int status, std::string_view body);
// The final message: "POST <url> failed: <cause> (request id r; N attempts
// over X s). <advice>", with secrets redacted.
Error describe_failure(const Error& cause, std::string_view url, int status, const Headers& headers,
                       int attempts, std::chrono::milliseconds elapsed, std::string_view key_env,
                       const std::vector<std::string>& secrets);

}  // namespace ds::llm
