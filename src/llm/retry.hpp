// When and how long to wait before retrying a failed model request, as
// openai-api.md prescribes: which failures are retryable, the server's
// retry-after-ms / retry-after, exponential backoff with jitter, caps; and
// RateGate, a pause shared by all workers after a 429.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "llm/http.hpp"

namespace ds::llm {

struct RetryPolicy {
  int max_retries = 5;  // attempts = 1 + retries
  // Retries of a request that could not connect (ErrorKind::Connect) to an endpoint
  // that has not answered yet: with the backoff below, about 1.5 s in all.
  int max_connect_retries = 2;
  std::chrono::milliseconds initial_backoff{500};  // first backoff, doubling
  std::chrono::milliseconds max_backoff{8000};
  std::chrono::milliseconds max_retry_after{60000};  // a longer server delay is capped to this
  std::chrono::milliseconds max_total_wait{120000};  // give up when waits would exceed this
};

// Told to the caller before each retry (the terminal prints it; text already
// streamed from the failed attempt will be streamed again).
struct RetryNotice {
  int failed_attempt = 1;              // 1-based number of the attempt that failed
  std::chrono::milliseconds delay{0};  // wait before the next attempt
  std::string reason;                  // e.g. "HTTP 429: Rate limit reached ..."
  bool text_emitted = false;           // the failed attempt streamed some text
};

// May a failed attempt be retried? `status` is 0 when no HTTP response came
// (or the failure happened inside a 2xx stream). A final kind
// (error_kind.hpp: interrupted, config, replay exhausted) never is;
// x-should-retry: true forces a retry and false forbids one; otherwise 408,
// 409, 429 (not insufficient_quota) and 5xx are retried, and without a
// response the kind decides (is_retryable(ErrorKind): connection failures
// (ApiClient limits those to max_connect_retries), resets, idle timeouts,
// broken or malformed streams, error events).
bool is_retryable(int status, const Headers& headers, AnyErrorKind error_kind);

// The delay a response asks for: retry-after-ms (milliseconds), else
// retry-after (seconds, or an HTTP date relative to `now`). nullopt when
// absent, unparseable or negative.
std::optional<std::chrono::milliseconds> server_retry_delay(
    const Headers& headers, std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// Backoff before retry number `retry` (1 = first retry): initial * 2^(retry-1)
// capped at max_backoff, then reduced by up to 25% by `jitter` in [0, 1).
std::chrono::milliseconds backoff_delay(int retry, const RetryPolicy& p, double jitter);

// The wait before retry number `retry`: the server's delay capped at
// max_retry_after when it gave one, else backoff_delay.
std::chrono::milliseconds retry_delay(int retry, const Headers& headers, const RetryPolicy& p, double jitter);

// Sleeps for `d`, waking every 50 ms to check `cancel`; false when cancelled.
bool sleep_for(std::chrono::milliseconds d, const std::atomic<bool>* cancel);

// A pause shared by every client that holds it (batch workers): a 429 seen by
// one pauses all until the server's delay has passed. Thread-safe.
class RateGate {
 public:
  // Keeps the gate closed for at least `d` from now (never shortens a pause).
  void pause_for(std::chrono::milliseconds d);
  std::chrono::milliseconds remaining() const;
  // Blocks until the gate is open; ErrorKind::Interrupted when `cancel` is set.
  Status wait(const std::atomic<bool>* cancel) const;

 private:
  mutable std::mutex mu_;
  std::chrono::steady_clock::time_point open_at_{};
};

}  // namespace ds::llm
