// The model client's error kinds (ds::Error::kind of ds::llm errors) and
// which of them another attempt can cure.
#pragma once

#include <cstdint>

#include "base/error_kind.hpp"

namespace ds::llm {

enum class ErrorKind : uint8_t {
  Unknown,          // an error reply that fits none of the kinds below
  Config,           // bad settings (diffsmith exits 2)
  Auth,             // 401/403
  Quota,            // insufficient_quota
  ContextLength,    // context_length_exceeded: the caller may shrink and retry
  BadRequest,       // other 4xx
  Server,           // 5xx, or an error event inside a stream
  Network,          // reset, idle timeout, transfer failure
  Protocol,         // malformed stream or body
  ReplayExhausted,  // the replay cassette ran out
  Interrupted,      // cancelled by SIGINT
  RateLimit,        // 429 (not quota)
  // No connection: refused, host or proxy name not resolved, connect
  // timeout. Retried only RetryPolicy::max_connect_retries times (a wrong
  // --base-url fails fast) until the endpoint has answered once.
  Connect,
};

constexpr ErrorLibrary error_library(ErrorKind) { return ErrorLibrary::Llm; }

// May another attempt succeed where one failed with this kind? The table
// behind the client's retry rule (retry.hpp is_retryable adds the HTTP
// status and the server's x-should-retry on top of it).
constexpr bool is_retryable(ErrorKind k) {
  switch (k) {
    case ErrorKind::Server:
    case ErrorKind::Network:
    case ErrorKind::Protocol:
    case ErrorKind::RateLimit:
    case ErrorKind::Connect:
      return true;
    case ErrorKind::Unknown:
    case ErrorKind::Config:
    case ErrorKind::Auth:
    case ErrorKind::Quota:
    case ErrorKind::ContextLength:
    case ErrorKind::BadRequest:
    case ErrorKind::ReplayExhausted:
    case ErrorKind::Interrupted:
      return false;
  }
  return false;
}

// Kinds no attempt can cure, even when the server says to retry
// (x-should-retry: true): the failure is on this side.
constexpr bool is_final(ErrorKind k) {
  return k == ErrorKind::Interrupted || k == ErrorKind::Config || k == ErrorKind::ReplayExhausted;
}

}  // namespace ds::llm
