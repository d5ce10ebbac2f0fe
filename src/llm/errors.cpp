// Error body parsing, classification, advice, redaction.
#include "llm/errors.hpp"

#include <optional>

#include "llm/types.hpp"

namespace ds::llm {
namespace {

bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

std::string scalar_text(const json::Value& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_null()) return "";
  return json::dump(v);  // codes are sometimes numbers
}

}  // namespace

ApiErrorInfo api_error_from(const json::Value& v) {
  const json::Value& e = v.has("error") && v["error"].is_object() ? v["error"] : v;
  ApiErrorInfo info;
  info.message = scalar_text(e["message"]);
  info.type = scalar_text(e["type"]);
  info.code = scalar_text(e["code"]);
  info.param = scalar_text(e["param"]);
  if (info.message.empty() && v["error"].is_string()) info.message = v["error"].as_string();
  return info;
}

ApiErrorInfo parse_api_error(std::string_view body) {
  auto parsed = json::parse(body);
  if (parsed.ok() && parsed->is_object()) {
    ApiErrorInfo info = api_error_from(*parsed);
    if (!info.message.empty() || !info.code.empty()) return info;
  }
  ApiErrorInfo info;
  std::string_view text = body.substr(0, 300);
  info.message = std::string(text);
  if (body.size() > text.size()) info.message += "...";
  if (info.message.empty()) info.message = "(empty body)";
  return info;
}

ErrorKind classify_api_error(int status, const ApiErrorInfo& info) {
  if (info.code == "insufficient_quota" || info.type == "insufficient_quota") return ErrorKind::Quota;
  if (info.code == "context_length_exceeded" || info.type == "exceed_context_size_error" ||
      (status == 400 &&
       (contains(info.message, "maximum context length") || contains(info.message, "context size") ||
        contains(info.message, "context window")))) {
    return ErrorKind::ContextLength;
  }
  if (status == 401 || status == 403) return ErrorKind::Auth;
  if (status == 429 || info.code == "rate_limit_exceeded") return ErrorKind::RateLimit;
  if (status == 408 || status == 409 || status >= 500) return ErrorKind::Server;
  if (status >= 400) return ErrorKind::BadRequest;
  if (status == 0) return ErrorKind::Server;  // an error event inside a stream
  return ErrorKind::Unknown;
}

std::string advice_for(AnyErrorKind any, int status, std::string_view key_env) {
  std::optional<ErrorKind> kind = any.as<ErrorKind>();
  if (!kind) return "";
  switch (*kind) {
    case ErrorKind::Auth:
      return status == 403 ? "The key is not allowed to use this model or region; check the key's project "
                             "and permissions (OPENAI_PROJECT, OPENAI_ORGANIZATION)."
                           : "Check the API key in " + std::string(key_env) + ".";
    case ErrorKind::Quota:
      return "The account has no quota left (not retried); check billing for this key or use another key.";
    case ErrorKind::ContextLength:
      return "The conversation is longer than the model's context; shrink the context and retry.";
    case ErrorKind::RateLimit:
      return "Still rate limited after retries; wait, lower the request rate, or raise --max-retry-wait.";
    case ErrorKind::BadRequest:
      return status == 404 ? "Check --model and the base URL (the endpoint or model was not found)."
                           : "The server rejected the request; see its message above.";
    case ErrorKind::Server:
      return "The server failed; try again later.";
    case ErrorKind::Network:
      return "Check the network and the base URL, or raise --connect-timeout / --idle-timeout.";
    case ErrorKind::Connect:
      return "Nothing answered there: check --base-url (or OPENAI_BASE_URL), that the server is running, "
             "and the network.";
    case ErrorKind::Protocol:
      return "The server's reply was malformed; try again, or try --stream false.";
    case ErrorKind::Interrupted:
      return "Interrupted.";
    default:
      return "";
  }
}

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  static const std::string kMark = "[redacted]";
  for (const std::string& s : secrets) {
    // Real keys are long; redacting a dummy key like "x" would garble text.
    if (s.size() < kMinSecretLength) continue;
    for (size_t pos = text.find(s); pos != std::string::npos; pos = text.find(s, pos + kMark.size())) {
      text.replace(pos, s.size(), kMark);
    }
  }
  return text;
}

}  // namespace ds::llm
