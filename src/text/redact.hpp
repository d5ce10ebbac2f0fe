// Secret redaction for everything diffsmith writes: events, trajectories,
// human output, cassettes, batch outputs and error messages all pass their
// text through here. Two things are replaced by "[redacted]":
//   - secret values, exactly: those registered process-wide (the API key,
//     once the endpoint is resolved) and any passed by the caller;
//   - well-known secret shapes: OpenAI-style keys (sk-...), GitHub tokens
//     (ghp_..., github_pat_...), AWS access key ids (AKIA...), Bearer
//     tokens, the value of Authorization / api-key headers, and the
//     user:password part of URLs (http://user:pw@host).
// redact_json() works on a JSON document's text (a JSONL line) and keeps it
// valid JSON: it looks for the secrets as the JSON writer escapes them (once
// and twice, for JSON held in a JSON string) and never cuts an escape.
// The result is a fixpoint: redacting it again changes nothing, and it holds
// no secret (secrets shorter than kMinSecretLength, or found inside the
// marker itself, are not redacted: they would garble ordinary text).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ds::text {

inline constexpr std::string_view kRedactedMark = "[redacted]";
inline constexpr size_t kMinSecretLength = 8;

enum class RedactShapes {
  Yes,  // secrets and well-known shapes (logs, events, messages)
  No,   // secret values only (artifacts that must stay byte-exact otherwise, e.g. patches)
};

// Adds a secret value that every later redact()/redact_json() call in this
// process replaces. Thread-safe; short values are ignored.
void register_secret(std::string_view value);

std::string redact(std::string_view text, const std::vector<std::string>& secrets = {},
                   RedactShapes shapes = RedactShapes::Yes);
// For text shown as it is to the person who ran diffsmith (the diff on their
// own terminal): whether redact() would change it, and the mark put after
// such a line.
bool secret_like(std::string_view text, const std::vector<std::string>& secrets = {});
inline constexpr std::string_view kSecretLikeMark = "⚠ secret-like value";

std::string redact_json(std::string_view json_text, const std::vector<std::string>& secrets = {},
                        RedactShapes shapes = RedactShapes::Yes);

}  // namespace ds::text
