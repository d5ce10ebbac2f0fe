// HTTP for the model clients: one POST whose response body is handed over as
// it arrives, with a connect timeout, an idle (no bytes) timeout and prompt
// cancellation. HttpTransport is the interface; CurlTransport the real one.
// curl.h stays inside http.cpp.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace ds::llm {

// Response headers, names lowercased; a repeated header keeps its last value.
using Headers = std::map<std::string, std::string>;

struct HttpRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  std::string body;                                          // sent as POST
  std::chrono::milliseconds connect_timeout{10000};
  // Longest silence allowed once the request is sent (waiting for the first
  // byte included); 0 disables.
  std::chrono::milliseconds idle_timeout{120000};
  const std::atomic<bool>* cancel = nullptr;  // checked every ~50 ms
  // Given up at this moment, like a cancellation (checked every ~50 ms).
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

struct HttpResponse {
  int status = 0;  // 0 when no status line arrived
  Headers headers;
  // Set when the exchange did not complete: no connection (refused, host
  // not resolved, connect timeout: kind ErrorKind::Connect), reset, idle timeout
  // (ErrorKind::Network), cancellation (ErrorKind::Interrupted), or the body
  // callback asked to stop (kind 0, message "stopped by receiver").
  std::optional<Error> error;
};

// Receives body bytes as they arrive, with the status of the response they
// belong to. Returning false aborts the transfer.
using BodyCallback = std::function<bool(int status, std::string_view chunk)>;

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual HttpResponse post(const HttpRequest& req, const BodyCallback& on_body) = 0;
};

// libcurl (multi interface, so that cancellation and the idle timeout are
// checked while waiting). Keeps its connection cache between calls, so reuse
// one transport per worker; not safe for concurrent use.
class CurlTransport final : public HttpTransport {
 public:
  CurlTransport();
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  HttpResponse post(const HttpRequest& req, const BodyCallback& on_body) override;

 private:
  struct Handles;
  std::unique_ptr<Handles> h_;
};

// `url` with any user:password@ part replaced by "***@" (for messages and
// cassettes).
std::string redact_url(std::string_view url);

// True when the URL's host is localhost, 127.x.x.x or [::1].
bool is_loopback_url(std::string_view url);

}  // namespace ds::llm
