// Faults through the python mock over real HTTP: every retryable failure is
// retried (429 with Retry-After, 500, reset mid-stream, malformed event, idle
// stall, missing [DONE]) and every final failure carries the right kind, exit
// code and a message naming endpoint, status, the server's message and
// request id. Also: cancellation, the shared RateGate, the retry wait cap.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <optional>
#include <thread>

#include "llm/client_factory.hpp"
#include "llm/config.hpp"
#include "llm/errors.hpp"
#include "support/mock_client.hpp"

using namespace ds::llm;
using namespace ds::test;  // MockServer, start_mock, mock_config
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

Request hello() {
  Request r;
  r.model = "gpt-4.1";
  r.messages.push_back(Message::user("hello"));
  return r;
}

struct Run {
  ds::Result<Turn> turn = ds::Error{};
  std::vector<RetryNotice> retries;
  std::string streamed;
  milliseconds elapsed{0};
};

Run run(EndpointConfig cfg, const Request& req = hello()) {
  Run r;
  cfg.on_retry = [&r](const RetryNotice& n) { r.retries.push_back(n); };
  auto client = make_client(cfg);
  if (!client.ok()) FAIL(client.error().message);
  auto start = Clock::now();
  r.turn = (*client)->complete(req, [&r](std::string_view s) { r.streamed += s; });
  r.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  return r;
}

bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("faults: 429 with Retry-After: 1 waits a real second, then succeeds") {
  auto mock = start_mock(R"([
    {"status": 429, "headers": {"retry-after": "1"},
     "body": {"error": {"message": "Rate limit reached for gpt-4.1", "type": "requests", "code": "rate_limit_exceeded"}}},
    {"text": "after the wait"}])");
  Run r = run(mock_config(*mock));
  REQUIRE(r.turn.ok());
  CHECK(r.turn->text == "after the wait");
  CHECK(r.turn->attempts == 2);
  CHECK(r.elapsed >= milliseconds(950));
  REQUIRE(r.retries.size() == 1);
  CHECK(r.retries[0].delay == milliseconds(1000));
  CHECK(has(r.retries[0].reason, "HTTP 429"));
  CHECK(mock->requests().size() == 2);
}

TEST_CASE("faults: retry-after-ms is honoured before retry-after") {
  auto mock = start_mock(R"([
    {"status": 503, "headers": {"retry-after-ms": "150", "retry-after": "30"}},
    {"text": "ok"}])");
  Run r = run(mock_config(*mock));
  REQUIRE(r.turn.ok());
  REQUIRE(r.retries.size() == 1);
  CHECK(r.retries[0].delay == milliseconds(150));
  CHECK(r.elapsed >= milliseconds(140));
  CHECK(r.elapsed < milliseconds(5000));
}

TEST_CASE("faults: 500 then success") {
  auto mock = start_mock(R"([{"status": 500}, {"text": "recovered"}])");
  Run r = run(mock_config(*mock));
  REQUIRE(r.turn.ok());
  CHECK(r.turn->text == "recovered");
  CHECK(r.turn->attempts == 2);
  CHECK(r.turn->request_id == "req_mock_2");
}

TEST_CASE("faults: a connection reset mid-stream is retried whole") {
  auto mock = start_mock(R"([
    {"fault": "reset_mid_stream", "text": "This answer will be cut off halfway through."},
    {"text": "Complete answer."}])");
  Run r = run(mock_config(*mock));
  REQUIRE(r.turn.ok());
  CHECK(r.turn->text == "Complete answer.");
  CHECK(r.turn->attempts == 2);
  REQUIRE(r.retries.size() == 1);
  CHECK(r.retries[0].text_emitted);  // the broken attempt had streamed some text
  CHECK(has(r.streamed, "This answer"));
  CHECK(r.streamed.size() > r.turn->text.size());
}

TEST_CASE("faults: a reset on every attempt ends as a network error after max-retries") {
  auto mock = start_mock(R"([{"fault": "reset_mid_stream", "text": "a long enough text to cut"},
                             {"fault": "reset_mid_stream", "text": "a long enough text to cut"},
                             {"fault": "reset_mid_stream", "text": "a long enough text to cut"}])");
  Run r = run(mock_config(*mock, {{"max-retries", "2"}}));
  REQUIRE_FALSE(r.turn.ok());
  CHECK(r.turn.error().kind == ErrorKind::Network);
  CHECK(has(r.turn.error().message, mock->base_url() + "/chat/completions"));
  CHECK(has(r.turn.error().message, "3 attempts"));
  CHECK(has(r.turn.error().message, "request id req_mock_3"));
}

TEST_CASE("faults: a malformed event is retried, without retries it is a protocol error") {
  auto mock = start_mock(R"([{"fault": "malformed_event", "text": "abcdefghij"}, {"text": "clean"},
                             {"fault": "malformed_event", "text": "abcdefghij"}])");
  Run ok = run(mock_config(*mock));
  REQUIRE(ok.turn.ok());
  CHECK(ok.turn->text == "clean");
  CHECK(ok.turn->attempts == 2);

  Run bad = run(mock_config(*mock, {{"max-retries", "0"}}));
  REQUIRE_FALSE(bad.turn.ok());
  CHECK(bad.turn.error().kind == ErrorKind::Protocol);
  const std::string& msg = bad.turn.error().message;
  INFO(msg);
  CHECK(has(msg, "POST " + mock->base_url() + "/chat/completions"));
  CHECK(has(msg, "HTTP 200"));
  CHECK(has(msg, "not valid JSON"));
  CHECK(has(msg, "request id req_mock_3"));
}

TEST_CASE("faults: a stream that stalls past the idle timeout is abandoned and retried") {
  auto mock = start_mock(R"([{"fault": "stall", "seconds": 4, "text": "slow slow slow"}, {"text": "fast"},
                             {"fault": "stall", "seconds": 4, "text": "slow slow slow"}])");
  Run ok = run(mock_config(*mock, {{"idle-timeout", "1"}}));
  REQUIRE(ok.turn.ok());
  CHECK(ok.turn->text == "fast");
  CHECK(ok.turn->attempts == 2);
  CHECK(ok.elapsed >= milliseconds(950));
  CHECK(ok.elapsed < milliseconds(3500));

  Run bad = run(mock_config(*mock, {{"idle-timeout", "1"}, {"max-retries", "0"}}));
  REQUIRE_FALSE(bad.turn.ok());
  CHECK(bad.turn.error().kind == ErrorKind::Network);
  CHECK(has(bad.turn.error().message, "idle timeout"));
  CHECK(has(bad.turn.error().message, "request id req_mock_3"));
  CHECK(bad.elapsed < milliseconds(3500));
}

TEST_CASE("faults: a stream without [DONE] is broken and retried") {
  auto mock = start_mock(
      R"([{"fault": "no_done", "text": "almost"}, {"text": "whole"}, {"fault": "no_done", "text": "x"}])");
  Run ok = run(mock_config(*mock));
  REQUIRE(ok.turn.ok());
  CHECK(ok.turn->text == "whole");
  CHECK(ok.turn->attempts == 2);
  Run bad = run(mock_config(*mock, {{"max-retries", "0"}}));
  REQUIRE_FALSE(bad.turn.ok());
  CHECK(bad.turn.error().kind == ErrorKind::Protocol);
  CHECK(has(bad.turn.error().message, "[DONE]"));
}

TEST_CASE("faults: Responses streams are retried after a reset too") {
  auto mock = start_mock(
      R"([{"fault": "reset_mid_stream", "text": "responses text long enough"}, {"text": "fine"}])");
  Run r = run(mock_config(*mock, {{"wire-api", "responses"}}));
  REQUIRE(r.turn.ok());
  CHECK(r.turn->text == "fine");
  CHECK(r.turn->attempts == 2);
}

TEST_CASE("faults: 401 is not retried, names the variable, and never shows the key") {
  auto mock = start_mock(R"([{"text": "unreachable"}])", {"sk-the-right-key"});
  Run r = run(mock_config(*mock, {{"provider", "openai"}}, "sk-wrong-key-123456"));
  REQUIRE_FALSE(r.turn.ok());
  CHECK(r.turn.error().kind == ErrorKind::Auth);
  const std::string& msg = r.turn.error().message;
  INFO(msg);
  CHECK(has(msg, "HTTP 401"));
  CHECK(has(msg, "Incorrect API key provided"));  // the server's message
  CHECK(has(msg, "request id req_mock_1"));
  CHECK(has(msg, "OPENAI_API_KEY"));
  CHECK_FALSE(has(msg, "sk-wrong-key-123456"));  // the mock echoed it; we redact
  CHECK(r.retries.empty());
  CHECK(mock->requests().size() == 1);
  CHECK_FALSE(has(mock->request_log(), "sk-wrong-key-123456"));
}

TEST_CASE("faults: insufficient_quota is a 429 that is not retried") {
  auto mock = start_mock(
      R"([{"status": 429, "body": {"error": {"message": "You exceeded your current quota, please check your plan and billing details.",
                                "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}}}])");
  Run r = run(mock_config(*mock));
  REQUIRE_FALSE(r.turn.ok());
  CHECK(r.turn.error().kind == ErrorKind::Quota);
  CHECK(has(r.turn.error().message, "exceeded your current quota"));
  CHECK(has(r.turn.error().message, "code insufficient_quota"));
  CHECK(mock->requests().size() == 1);
}

TEST_CASE("faults: context_length_exceeded is its own kind, not retried") {
  auto mock = start_mock(
      R"([{"status": 400, "body": {"error": {"message": "This model's maximum context length is 1047576 tokens. However, your messages resulted in 1100000 tokens.",
                                "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}}}])");
  Run r = run(mock_config(*mock));
  REQUIRE_FALSE(r.turn.ok());
  CHECK(r.turn.error().kind == ErrorKind::ContextLength);
  CHECK(has(r.turn.error().message, "maximum context length"));
  CHECK(has(r.turn.error().message, "shrink the context"));
  CHECK(mock->requests().size() == 1);
}

TEST_CASE("faults: persistent 429 gives up after max-retries as a rate-limit error") {
  auto mock = start_mock(R"([{"status": 429}, {"status": 429}, {"status": 429}])");
  Run r = run(mock_config(*mock, {{"max-retries", "2"}}));
  REQUIRE_FALSE(r.turn.ok());
  CHECK(r.turn.error().kind == ErrorKind::RateLimit);
  CHECK(has(r.turn.error().message, "3 attempts"));
  CHECK(r.retries.size() == 2);
}

TEST_CASE("faults: a Retry-After beyond the total wait budget is not waited for") {
  auto mock = start_mock(R"([{"status": 429, "headers": {"retry-after": "30"}}, {"text": "too late"}])");
  Run r = run(mock_config(*mock, {{"max-retry-wait", "1"}}));
  REQUIRE_FALSE(r.turn.ok());
  CHECK(r.turn.error().kind == ErrorKind::RateLimit);
  CHECK(r.elapsed < milliseconds(2000));
  CHECK(mock->requests().size() == 1);
}

TEST_CASE("faults: x-should-retry: false forbids a retry of a 500, exhausted script says so") {
  auto mock = start_mock(R"([{"status": 500, "headers": {"x-should-retry": "false"}}])");
  Run r = run(mock_config(*mock));
  REQUIRE_FALSE(r.turn.ok());
  CHECK(r.turn.error().kind == ErrorKind::Server);
  CHECK(mock->requests().size() == 1);
  Run again = run(mock_config(*mock));
  REQUIRE_FALSE(again.turn.ok());
  CHECK(has(again.turn.error().message, "mock script exhausted"));
  CHECK(mock->requests().size() == 2);
}

TEST_CASE("faults: a refused connection fails fast: two quick retries, not max-retries (issue 11)") {
  auto mock = start_mock("[]");
  EndpointConfig cfg = mock_config(*mock, {{"max-retries", "5"}});
  cfg.retry.initial_backoff = RetryPolicy{}.initial_backoff;  // the real backoff
  cfg.retry.max_backoff = RetryPolicy{}.max_backoff;
  mock->stop();
  Run r = run(cfg);
  REQUIRE_FALSE(r.turn.ok());
  CHECK(r.turn.error().kind == ErrorKind::Connect);
  CHECK(has(r.turn.error().message, "3 attempts"));
  CHECK(has(r.turn.error().message, "127.0.0.1"));
  CHECK(has(r.turn.error().message, "check --base-url"));
  REQUIRE(r.retries.size() == 2);
  // The waits are the first two backoff steps: 0.5 s and 1 s (less jitter).
  CHECK(r.retries[0].delay + r.retries[1].delay <= milliseconds(1500));
}

TEST_CASE("faults: a host name that does not resolve fails fast too: two quick retries") {
  // .invalid never resolves (RFC 6761), with or without a network.
  auto mock = start_mock("[]");
  EndpointConfig cfg = mock_config(*mock, {{"base-url", "http://diffsmith-no-such-host.invalid/v1"}});
  cfg.retry.initial_backoff = RetryPolicy{}.initial_backoff;  // the real backoff
  cfg.retry.max_backoff = RetryPolicy{}.max_backoff;
  Run r = run(cfg);
  REQUIRE_FALSE(r.turn.ok());
  CHECK(r.turn.error().kind == ErrorKind::Connect);
  CHECK(has(r.turn.error().message, "diffsmith-no-such-host.invalid"));
  CHECK(has(r.turn.error().message, "3 attempts"));
  REQUIRE(r.retries.size() == 2);
  CHECK(r.retries[0].delay + r.retries[1].delay <= milliseconds(1500));
}

namespace {

// Sets an environment variable for one scope, then puts the old value back.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("faults: a proxy whose name does not resolve fails fast like a refused connection") {
  // A non-loopback endpoint goes through http_proxy from the environment;
  // the proxy's name cannot resolve (CURLE_COULDNT_RESOLVE_PROXY).
  ScopedEnv proxy("http_proxy", "http://diffsmith-no-such-proxy.invalid:3128");
  ScopedEnv no_proxy("no_proxy", "");
  ScopedEnv no_proxy_upper("NO_PROXY", "");
  auto mock = start_mock("[]");
  EndpointConfig cfg = mock_config(*mock, {{"base-url", "http://api.diffsmith-test.invalid/v1"}});
  cfg.retry.initial_backoff = RetryPolicy{}.initial_backoff;
  cfg.retry.max_backoff = RetryPolicy{}.max_backoff;
  Run r = run(cfg);
  REQUIRE_FALSE(r.turn.ok());
  CHECK(r.turn.error().kind == ErrorKind::Connect);
  CHECK(has(r.turn.error().message, "3 attempts"));
  REQUIRE(r.retries.size() == 2);
  CHECK(r.retries[0].delay + r.retries[1].delay <= milliseconds(1500));
}

TEST_CASE("faults: once the endpoint has answered, a refused connection gets the full retries") {
  auto mock = start_mock(R"([{"text": "first"}])");
  EndpointConfig cfg = mock_config(*mock, {{"max-retries", "4"}});
  std::vector<RetryNotice> retries;
  cfg.on_retry = [&retries](const RetryNotice& n) { retries.push_back(n); };
  auto client = make_client(cfg);
  REQUIRE(client.ok());
  REQUIRE((*client)->complete(hello(), nullptr).ok());
  mock->stop();  // the server goes away mid-run (a restart, say)
  auto second = (*client)->complete(hello(), nullptr);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().kind == ErrorKind::Connect);
  CHECK(retries.size() == 4);
  CHECK(has(second.error().message, "5 attempts"));
}

TEST_CASE("faults: cancellation aborts a stalled request promptly") {
  auto mock = start_mock(R"([{"fault": "stall", "seconds": 8, "text": "never finishes in time"}])");
  std::atomic<bool> cancel{false};
  EndpointConfig cfg = mock_config(*mock);
  cfg.cancel = &cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(300));
    cancel = true;
  });
  Run r = run(cfg);
  canceller.join();
  REQUIRE_FALSE(r.turn.ok());
  CHECK(r.turn.error().kind == ErrorKind::Interrupted);
  CHECK(r.elapsed < milliseconds(1500));
}

TEST_CASE("faults: a 429 seen by one worker pauses another through the shared RateGate") {
  auto mock =
      start_mock(R"([{"status": 429, "headers": {"retry-after": "1"}}, {"text": "a"}, {"text": "a"}])");
  auto gate = std::make_shared<RateGate>();
  EndpointConfig cfg = mock_config(*mock);
  cfg.gate = gate;
  auto start = Clock::now();
  std::thread first([&] {
    Run r = run(cfg);
    CHECK(r.turn.ok());
  });
  // Wait until the first worker has hit the 429 and closed the gate.
  while (gate->remaining() == milliseconds(0) && Clock::now() - start < std::chrono::seconds(5)) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  Run second = run(cfg);
  first.join();
  REQUIRE(second.turn.ok());
  CHECK(second.turn->attempts == 1);  // it waited instead of hitting the limit
  CHECK(Clock::now() - start >= milliseconds(950));
  CHECK(mock->requests().size() == 3);
}
