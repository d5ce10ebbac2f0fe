// libFuzzer target: text::redact and text::redact_json. First byte: secret
// length (mod 48); then the secret; the rest is the text. Invariants:
//   - the redacted text never contains the secret (when it is one that is
//     redacted at all: at least kMinSecretLength bytes, not part of the mark);
//   - redacting is idempotent (the result is a fixpoint);
//   - as JSON: the text written as a JSON string, redacted with
//     redact_json, still parses, its string holds no secret, and
//     redact_json is idempotent too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "json/value.hpp"
#include "text/redact.hpp"

using ds::text::kMinSecretLength;
using ds::text::kRedactedMark;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  size_t n = data[0] % 48;
  if (n > size - 1) n = size - 1;
  std::string secret(reinterpret_cast<const char*>(data) + 1, n);
  std::string text(reinterpret_cast<const char*>(data) + 1 + n, size - 1 - n);
  bool redacted = secret.size() >= kMinSecretLength && kRedactedMark.find(secret) == std::string_view::npos;

  std::string once = ds::text::redact(text, {secret});
  if (redacted) FUZZ_CHECK(once.find(secret) == std::string::npos, "the secret survived redact");
  FUZZ_CHECK(ds::text::redact(once, {secret}) == once, "redact is not idempotent");

  std::string doc = ds::json::dump(ds::json::Value::object().set("t", text));
  std::string jonce = ds::text::redact_json(doc, {secret});
  auto back = ds::json::parse(jonce);
  FUZZ_CHECK(back.ok(), "redact_json broke the JSON");
  if (redacted && (*back)["t"].is_string())
    FUZZ_CHECK((*back)["t"].as_string().find(secret) == std::string::npos, "the secret survived redact_json");
  FUZZ_CHECK(ds::text::redact_json(jonce, {secret}) == jonce, "redact_json is not idempotent");
  return 0;
}
