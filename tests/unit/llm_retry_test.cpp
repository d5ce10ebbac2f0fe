// Retry policy: which failures are retried, retry-after-ms / retry-after
// (seconds and HTTP date), backoff doubling with bounded jitter, and the
// RateGate shared between threads.
#include <catch2/catch.hpp>
#include <thread>

#include "llm/retry.hpp"
#include "llm/types.hpp"

using namespace ds::llm;
using std::chrono::milliseconds;

TEST_CASE("retry: statuses and kinds") {
  Headers none;
  CHECK(is_retryable(429, none, ErrorKind::RateLimit));
  CHECK_FALSE(is_retryable(429, none, ErrorKind::Quota));  // insufficient_quota
  CHECK(is_retryable(500, none, ErrorKind::Server));
  CHECK(is_retryable(503, none, ErrorKind::Server));
  CHECK(is_retryable(408, none, ErrorKind::Server));
  CHECK(is_retryable(409, none, ErrorKind::Server));
  CHECK_FALSE(is_retryable(401, none, ErrorKind::Auth));
  CHECK_FALSE(is_retryable(400, none, ErrorKind::ContextLength));
  CHECK_FALSE(is_retryable(404, none, ErrorKind::BadRequest));
  CHECK(is_retryable(0, none, ErrorKind::Network));     // reset, idle timeout
  CHECK(is_retryable(0, none, ErrorKind::Connect));     // refused, no such host (ApiClient caps these)
  CHECK(is_retryable(200, none, ErrorKind::Protocol));  // stream broke mid-way
  CHECK_FALSE(is_retryable(0, none, ErrorKind::Interrupted));
}

TEST_CASE("retry: x-should-retry forces or forbids") {
  CHECK(is_retryable(400, Headers{{"x-should-retry", "true"}}, ErrorKind::BadRequest));
  CHECK_FALSE(is_retryable(500, Headers{{"x-should-retry", "false"}}, ErrorKind::Server));
  CHECK_FALSE(is_retryable(0, Headers{{"x-should-retry", "true"}}, ErrorKind::Interrupted));
}

TEST_CASE("retry: server delays") {
  CHECK(server_retry_delay(Headers{{"retry-after-ms", "250"}}) == milliseconds(250));
  // retry-after-ms wins over retry-after.
  CHECK(server_retry_delay(Headers{{"retry-after-ms", "20"}, {"retry-after", "9"}}) == milliseconds(20));
  CHECK(server_retry_delay(Headers{{"retry-after", "2"}}) == milliseconds(2000));
  CHECK(server_retry_delay(Headers{{"retry-after", "0.5"}}) == milliseconds(500));
  CHECK_FALSE(server_retry_delay(Headers{{"retry-after", "soon"}}).has_value());
  CHECK_FALSE(server_retry_delay(Headers{}).has_value());

  auto now = std::chrono::system_clock::from_time_t(1445412470);  // Wed, 21 Oct 2015 07:27:50 GMT
  CHECK(server_retry_delay(Headers{{"retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"}}, now) ==
        milliseconds(10000));
  CHECK(server_retry_delay(Headers{{"retry-after", "Wed, 21 Oct 2015 07:27:00 GMT"}}, now) ==
        milliseconds(0));
}

TEST_CASE("retry: backoff doubles from 0.5 s to an 8 s cap, jitter takes off at most 25%") {
  RetryPolicy p;
  CHECK(backoff_delay(1, p, 0.0) == milliseconds(500));
  CHECK(backoff_delay(2, p, 0.0) == milliseconds(1000));
  CHECK(backoff_delay(3, p, 0.0) == milliseconds(2000));
  CHECK(backoff_delay(5, p, 0.0) == milliseconds(8000));
  CHECK(backoff_delay(9, p, 0.0) == milliseconds(8000));
  CHECK(backoff_delay(1, p, 0.999) > milliseconds(374));
  CHECK(backoff_delay(1, p, 0.999) < milliseconds(500));
  CHECK(backoff_delay(5, p, 0.5) == milliseconds(7000));
}

TEST_CASE("retry: the server's delay is used, capped at max_retry_after") {
  RetryPolicy p;
  p.max_retry_after = milliseconds(3000);
  CHECK(retry_delay(1, Headers{{"retry-after", "2"}}, p, 0.0) == milliseconds(2000));
  CHECK(retry_delay(1, Headers{{"retry-after", "600"}}, p, 0.0) == milliseconds(3000));
  CHECK(retry_delay(2, Headers{}, p, 0.0) == milliseconds(1000));
}

TEST_CASE("rate gate: a pause set by one thread holds back another") {
  RateGate gate;
  CHECK(gate.remaining() == milliseconds(0));
  gate.pause_for(milliseconds(300));
  gate.pause_for(milliseconds(10));  // never shortens
  CHECK(gate.remaining() > milliseconds(200));
  auto start = std::chrono::steady_clock::now();
  std::thread worker([&] { REQUIRE(gate.wait(nullptr).ok()); });
  worker.join();
  CHECK(std::chrono::steady_clock::now() - start >= milliseconds(280));
  CHECK(gate.remaining() == milliseconds(0));
}

TEST_CASE("rate gate: waiting is cancellable") {
  RateGate gate;
  gate.pause_for(milliseconds(5000));
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(100));
    cancel = true;
  });
  auto start = std::chrono::steady_clock::now();
  auto st = gate.wait(&cancel);
  canceller.join();
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().kind == ErrorKind::Interrupted);
  CHECK(std::chrono::steady_clock::now() - start < milliseconds(1000));
}
