// Retry decisions, Retry-After parsing, backoff, interruptible sleep, RateGate.
#include "llm/retry.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <string>
#include <thread>

#include "llm/types.hpp"

namespace ds::llm {
namespace {

using std::chrono::milliseconds;

const std::string* header(const Headers& h, const char* name) {
  auto it = h.find(name);
  return it == h.end() ? nullptr : &it->second;
}

std::optional<double> parse_number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0' || !std::isfinite(d)) return std::nullopt;
  return d;
}

// RFC 9110 IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
std::optional<std::chrono::system_clock::time_point> parse_http_date(const std::string& s) {
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace

bool is_retryable(int status, const Headers& headers, AnyErrorKind error_kind) {
  std::optional<ErrorKind> kind = error_kind.as<ErrorKind>();
  if (kind && is_final(*kind)) return false;
  if (const std::string* v = header(headers, "x-should-retry")) {
    if (*v == "true") return true;
    if (*v == "false") return false;
  }
  if (kind == ErrorKind::Quota) return false;
  if (status == 0 || (status >= 200 && status < 300)) return kind && is_retryable(*kind);
  return status == 408 || status == 409 || status == 429 || status >= 500;
}

std::optional<milliseconds> server_retry_delay(const Headers& headers,
                                               std::chrono::system_clock::time_point now) {
  if (const std::string* v = header(headers, "retry-after-ms")) {
    if (auto ms = parse_number(*v); ms && *ms >= 0) return milliseconds(static_cast<int64_t>(*ms));
  }
  if (const std::string* v = header(headers, "retry-after")) {
    if (auto secs = parse_number(*v); secs && *secs >= 0)
      return milliseconds(static_cast<int64_t>(*secs * 1000));
    if (auto when = parse_http_date(*v)) {
      auto d = std::chrono::duration_cast<milliseconds>(*when - now);
      return std::max(d, milliseconds(0));
    }
  }
  return std::nullopt;
}

milliseconds backoff_delay(int retry, const RetryPolicy& p, double jitter) {
  double base = static_cast<double>(p.initial_backoff.count()) * std::pow(2.0, std::max(retry - 1, 0));
  base = std::min(base, static_cast<double>(p.max_backoff.count()));
  jitter = std::clamp(jitter, 0.0, 1.0);
  return milliseconds(static_cast<int64_t>(base * (1.0 - 0.25 * jitter)));
}

milliseconds retry_delay(int retry, const Headers& headers, const RetryPolicy& p, double jitter) {
  if (auto d = server_retry_delay(headers)) return std::min(*d, p.max_retry_after);
  return backoff_delay(retry, p, jitter);
}

bool sleep_for(milliseconds d, const std::atomic<bool>* cancel) {
  auto until = std::chrono::steady_clock::now() + d;
  while (true) {
    if (cancel && cancel->load()) return false;
    auto now = std::chrono::steady_clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(until - now, milliseconds(50)));
  }
}

void RateGate::pause_for(milliseconds d) {
  std::lock_guard<std::mutex> lock(mu_);
  open_at_ = std::max(open_at_, std::chrono::steady_clock::now() + d);
}

milliseconds RateGate::remaining() const {
  std::lock_guard<std::mutex> lock(mu_);
  auto left = open_at_ - std::chrono::steady_clock::now();
  return std::max(std::chrono::ceil<milliseconds>(left), milliseconds(0));
}

Status RateGate::wait(const std::atomic<bool>* cancel) const {
  // Re-read on every slice: another worker may extend the pause meanwhile.
  for (milliseconds left = remaining(); left.count() > 0; left = remaining()) {
    if (!sleep_for(std::min(left, milliseconds(50)), cancel)) {
      return make_error("interrupted while waiting out a rate limit", ErrorKind::Interrupted);
    }
  }
  if (cancel && cancel->load()) return make_error("interrupted", ErrorKind::Interrupted);
  return Ok{};
}

}  // namespace ds::llm
