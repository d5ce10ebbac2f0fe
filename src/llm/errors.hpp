// API errors: reading OpenAI's error body, classifying it into an ErrorKind,
// the advice each kind carries, and secret redaction.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "json/value.hpp"
#include "llm/error_kind.hpp"

namespace ds::llm {

// The fields of {"error":{"message","type","param","code"}}. `message` holds
// the raw body (trimmed to 300 bytes) when the body is not OpenAI-shaped.
struct ApiErrorInfo {
  std::string message;
  std::string type;
  std::string code;
  std::string param;
};

ApiErrorInfo parse_api_error(std::string_view body);
// From an already parsed object: either the whole body or its "error" member.
ApiErrorInfo api_error_from(const json::Value& v);

// ErrorKind for an HTTP status (0 = an error event inside a 200 stream) and
// the error fields. insufficient_quota and context-length codes win over the
// status; compatible servers' context-length messages are recognised too.
ErrorKind classify_api_error(int status, const ApiErrorInfo& info);

// One sentence telling the user what to do about an error of this kind.
// `key_env` names the API key variable for auth advice.
std::string advice_for(AnyErrorKind kind, int status, std::string_view key_env);

// `text` with every occurrence of each secret replaced by "[redacted]".
// Secrets shorter than kMinSecretLength (dummy keys for local servers) are
// left alone: they are no credential, and replacing them garbles text.
inline constexpr size_t kMinSecretLength = 8;
std::string redact(std::string text, const std::vector<std::string>& secrets);

}  // namespace ds::llm
