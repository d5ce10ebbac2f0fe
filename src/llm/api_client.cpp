// ApiClient::complete: one request, retried whole on retryable failures; the
// body of each attempt is decoded while it streams in.
#include "llm/api_client.hpp"

#include "llm/errors.hpp"
#include "text/duration.hpp"

namespace ds::llm {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

milliseconds since(Clock::time_point t) { return std::chrono::duration_cast<milliseconds>(Clock::now() - t); }

bool is_2xx(int status) { return status >= 200 && status < 300; }

}  // namespace

struct ApiClient::Attempt {
  Result<Turn> turn = Error{};
  int status = 0;
  Headers headers;
  std::string raw;
  bool text_emitted = false;
};

ApiClient::ApiClient(ApiClientOptions options, std::unique_ptr<HttpTransport> transport)
    : o_(std::move(options)), transport_(std::move(transport)), rng_(std::random_device{}()) {
  if (!transport_) transport_ = std::make_unique<CurlTransport>();
}

Result<Turn> ApiClient::complete(const Request& req, const TextCallback& on_text) {
  last_exchange_.reset();
  const std::string shown_url = redact(redact_url(o_.url), o_.secrets);
  if (Status st = validate_request(req); !st.ok()) {
    return make_error("POST " + shown_url + ": " + st.error().message, st.error().kind);
  }
  json::Value body = build_request_body(o_.wire, req, o_.stream);
  HttpRequest http;
  http.url = o_.url;
  http.headers = o_.headers;
  http.body = json::dump(body);
  http.connect_timeout = o_.connect_timeout;
  http.idle_timeout = o_.idle_timeout;
  http.cancel = o_.cancel;
  http.deadline = req.deadline;

  std::vector<std::string> tool_names;
  for (const ToolDef& t : req.tools) tool_names.push_back(t.name);

  const Clock::time_point start = Clock::now();
  milliseconds waited{0};
  int connect_failures = 0;
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  for (int attempt = 1;; ++attempt) {
    if (o_.gate) {
      if (Status st = o_.gate->wait(o_.cancel); !st.ok()) {
        return make_error("POST " + shown_url + ": " + st.error().message, ErrorKind::Interrupted);
      }
    }
    Clock::time_point attempt_start = Clock::now();
    Attempt a = attempt_once(http, on_text, tool_names);
    if (a.status != 0) endpoint_answered_ = true;
    if (o_.capture_exchange) {
      Exchange ex;
      ex.url = redact_url(o_.url);
      ex.request = body;
      ex.status = a.status;
      ex.headers = a.headers;
      ex.response = a.raw;
      ex.latency = since(attempt_start);
      if (!a.turn.ok()) {
        ex.interrupted = a.turn.error().kind == ErrorKind::Interrupted;
        if (a.status == 0) ex.error = a.turn.error().message;
      }
      last_exchange_ = std::move(ex);
    }
    if (a.turn.ok()) {
      Turn& t = a.turn.value();
      t.request_id = request_id_of(a.headers);
      t.rate_limits = rate_limits_of(a.headers);
      t.attempts = attempt;
      t.latency = since(start);
      return std::move(a.turn);
    }
    const Error& err = a.turn.error();
    bool retry = attempt <= o_.retry.max_retries && is_retryable(a.status, a.headers, err.kind);
    // Nothing listening, no such host: a wrong --base-url or a server that is
    // not up. Fail within seconds, unless this endpoint has answered before
    // (then it is a restart or a network blip, worth the full retries).
    if (retry && err.kind == ErrorKind::Connect && !endpoint_answered_ &&
        ++connect_failures > o_.retry.max_connect_retries) {
      retry = false;
    }
    milliseconds delay{0};
    if (retry) {
      delay = retry_delay(attempt, a.headers, o_.retry, jitter(rng_));
      if (waited + delay > o_.retry.max_total_wait) retry = false;
    }
    if (!retry) {
      return describe_failure(err, shown_url, a.status, a.headers, attempt, since(start), o_.key_env,
                              o_.secrets);
    }
    if (a.status == 429 && o_.gate) o_.gate->pause_for(delay);
    if (o_.on_retry) {
      o_.on_retry(RetryNotice{attempt, delay, redact(err.message, o_.secrets), a.text_emitted});
    }
    if (req.deadline && Clock::now() + delay >= *req.deadline)
      return make_error("POST " + shown_url + ": the run's time limit is reached before the retry",
                        ErrorKind::Interrupted);
    if (!sleep_for(delay, o_.cancel)) {
      return make_error("POST " + shown_url + ": interrupted while waiting to retry", ErrorKind::Interrupted);
    }
    waited += delay;
  }
}

ApiClient::Attempt ApiClient::attempt_once(const HttpRequest& http, const TextCallback& on_text,
                                           const std::vector<std::string>& tool_names) {
  Attempt a;
  SseParser sse;
  std::vector<SseEvent> events;
  std::unique_ptr<StreamDecoder> decoder;
  std::optional<Error> decode_error;
  enum class Mode { Undecided, Stream, Whole } mode = Mode::Undecided;
  TextCallback counting = [&](std::string_view s) {
    a.text_emitted = true;
    if (on_text) on_text(s);
  };

  BodyCallback on_body = [&](int status, std::string_view chunk) {
    if (mode == Mode::Undecided) {
      // A non-2xx body is an error document; a 2xx body that starts with '{'
      // is a whole reply even if we asked for a stream.
      bool sse_mode = o_.stream && is_2xx(status) && !looks_like_json_body(chunk);
      if (sse_mode) {
        mode = Mode::Stream;
        decoder = make_stream_decoder(o_.wire, counting, tool_names);
      } else if (!chunk.empty()) {
        mode = Mode::Whole;
      }
    }
    if (mode != Mode::Stream || o_.capture_exchange) a.raw.append(chunk);
    if (mode != Mode::Stream) return true;
    events.clear();
    sse.feed(chunk, events);
    for (const SseEvent& e : events) {
      if (Status st = decoder->on_event(e); !st.ok()) {
        decode_error = st.error();
        return false;
      }
    }
    return true;
  };

  HttpResponse resp = transport_->post(http, on_body);
  a.status = resp.status;
  a.headers = std::move(resp.headers);
  if (decode_error) {
    a.turn = std::move(*decode_error);
  } else if (resp.error) {
    a.turn = std::move(*resp.error);
  } else if (!is_2xx(a.status)) {
    a.turn = http_status_error(a.status, a.raw);
  } else if (mode == Mode::Stream) {
    events.clear();
    sse.finish(events);
    for (const SseEvent& e : events) {
      if (Status st = decoder->on_event(e); !st.ok()) {
        a.turn = st.error();
        return a;
      }
    }
    a.turn = decoder->finish();
  } else {
    a.turn = parse_response_body(o_.wire, a.raw);
    if (a.turn.ok() && on_text && !a.turn->text.empty()) {
      a.text_emitted = true;
      on_text(a.turn->text);
    }
  }
  return a;
}

std::string request_id_of(const Headers& h) {
  for (const char* name : {"x-request-id", "apim-request-id"}) {
    if (auto it = h.find(name); it != h.end() && !it->second.empty()) return it->second;
  }
  return "";
}

std::map<std::string, std::string> rate_limits_of(const Headers& h) {
  std::map<std::string, std::string> out;
  for (auto it = h.lower_bound("x-ratelimit-"); it != h.end() && it->first.rfind("x-ratelimit-", 0) == 0;
       ++it) {
    out.insert(*it);
  }
  return out;
}

bool looks_like_json_body(std::string_view raw) {
  size_t i = raw.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && raw[i] == '{';
}

Error http_status_error(int status, std::string_view body) {
  ApiErrorInfo info = parse_api_error(body);
  std::string msg = "HTTP " + std::to_string(status) + ": " + info.message;
  if (!info.type.empty() || !info.code.empty()) {
    msg += " (";
    if (!info.type.empty()) msg += "type " + info.type;
    if (!info.type.empty() && !info.code.empty()) msg += ", ";
    if (!info.code.empty()) msg += "code " + info.code;
    msg += ")";
  }
  return make_error(msg, classify_api_error(status, info));
}

Error describe_failure(const Error& cause, std::string_view url, int status, const Headers& headers,
                       int attempts, milliseconds elapsed, std::string_view key_env,
                       const std::vector<std::string>& secrets) {
  std::string msg = "POST " + std::string(url) + " failed: ";
  if (is_2xx(status) && cause.kind != ErrorKind::Interrupted)
    msg += "HTTP " + std::to_string(status) + " reply: ";
  msg += cause.message;
  std::string details;
  if (std::string id = request_id_of(headers); !id.empty()) details = "request id " + id;
  if (attempts > 1) {
    if (!details.empty()) details += "; ";
    details += std::to_string(attempts) + " attempts over " + text::seconds_text(elapsed);
  }
  if (!details.empty()) msg += " [" + details + "]";
  std::string advice = advice_for(cause.kind, status, key_env);
  if (!advice.empty() && cause.kind != ErrorKind::Interrupted) msg += ". " + advice;
  // A reply that failed without a kind of its own is not what the protocol
  // promises.
  AnyErrorKind kind = cause.kind;
  if (!kind.specified() || kind == ErrorKind::Unknown) kind = ErrorKind::Protocol;
  return make_error(redact(std::move(msg), secrets), kind);
}

}  // namespace ds::llm
