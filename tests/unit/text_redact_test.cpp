// text::redact / redact_json: exact secrets, well-known shapes, JSON text
// kept valid, fixpoint, and what is deliberately left alone.
#include <catch2/catch.hpp>

#include "json/value.hpp"
#include "text/redact.hpp"

using ds::text::redact;
using ds::text::redact_json;
using ds::text::RedactShapes;

TEST_CASE("redact: configured secrets exactly, short ones never") {
  CHECK(redact("key k3y-abcdefgh and k3y-abcdefgh.", {"k3y-abcdefgh"}) == "key [redacted] and [redacted].");
  CHECK(redact("x and y", {"x"}) == "x and y");  // dummy keys for local servers
  CHECK(redact("plain text, nothing secret") == "plain text, nothing secret");
}

TEST_CASE("redact: a registered secret is redacted by every later call") {
  ds::text::register_secret("registered-VALUE-778899");
  CHECK(redact("a registered-VALUE-778899 b") == "a [redacted] b");
  CHECK(redact_json(R"({"m":"registered-VALUE-778899"})") == R"({"m":"[redacted]"})");
  CHECK(redact("a registered-VALUE-778899 b", {}, RedactShapes::No) == "a [redacted] b");
}

TEST_CASE("redact: well-known secret shapes") {
  CHECK(redact("OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz") == "OPENAI_API_KEY=[redacted]");
  CHECK(redact("token ghp_abcdefghijklmnopqrstuvwxyz0123456789 end") == "token [redacted] end");
  CHECK(redact("id AKIAIOSFODNN7EXAMPLE.") == "id [redacted].");
  CHECK(redact("curl -H 'Authorization: Bearer abc.def-123456' x") ==
        "curl -H 'Authorization: [redacted]' x");
  CHECK(redact("header bearer   abcdefgh12345678\n") == "header bearer   [redacted]\n");
  CHECK(redact("Proxy-Authorization: Basic dXNlcjpwYXNz\nnext") == "Proxy-Authorization: [redacted]\nnext");
  CHECK(redact("api-key = 0123456789abcdef") == "api-key = [redacted]");
  CHECK(redact("git clone https://user:hunter22@github.com/x.git") ==
        "git clone https://[redacted]@github.com/x.git");
  CHECK(redact("postgres://app:pw@db:5432/x") == "postgres://[redacted]@db:5432/x");
  // Left alone: words that merely contain the prefixes, short tokens, plain URLs.
  CHECK(redact("task-abcdefghijklmnopqrstuvwxyz") == "task-abcdefghijklmnopqrstuvwxyz");
  CHECK(redact("sk-short") == "sk-short");
  CHECK(redact("Bearer tokens are described in RFC 6750") == "Bearer tokens are described in RFC 6750");
  CHECK(redact("see https://example.com/a@b and mailto:x@y") == "see https://example.com/a@b and mailto:x@y");
  CHECK(redact("sk-proj-abcdefghijklmnopqrstuvwxyz", {}, RedactShapes::No) ==
        "sk-proj-abcdefghijklmnopqrstuvwxyz");
}

TEST_CASE("redact_json: secrets inside JSON strings, escapes respected, the document stays valid") {
  const std::string secret = "sec\"ret\\with-quotes";
  ds::json::Value v = ds::json::Value::object();
  v.set("text", "before " + secret + " after\nsk-abcdefghijklmnopqrstuvwx0\n");
  v.set("nested", ds::json::dump(ds::json::Value::object().set("k", secret)));
  v.set("api-key", 5).set("authorization", "Bearer 0123456789abcdef");
  std::string out = redact_json(ds::json::dump(v), {secret});
  auto back = ds::json::parse(out);
  REQUIRE(back.ok());
  CHECK((*back)["text"].as_string() == "before [redacted] after\n[redacted]\n");
  CHECK((*back)["nested"].as_string().find("ret") == std::string::npos);
  CHECK((*back)["api-key"].as_int() == 5);
  CHECK((*back)["authorization"].as_string() == "[redacted]");
  // A match that would start inside an escape (\n followed by the rest) is not one.
  CHECK(redact_json(R"({"a":"x\n0123456789"})", {"n0123456789"}) == R"({"a":"x\n0123456789"})");
  // Nor one that starts among the hex digits of \u0014; the one after it is.
  CHECK(redact_json(R"({"a":"\u00144444444444"})", {"44444444"}) == R"({"a":"\u0014[redacted]"})");
}

TEST_CASE("redact: a secret that starts inside a UTF-8 character takes the whole character") {
  const std::string secret =
      "\x80\xa6"
      "atio34576xxs";  // the tail of U+2026 and more
  std::string text =
      "a\xe2\x80\xa6"
      "atio34576xxs b";
  CHECK(redact(text, {secret}) == "a[redacted] b");
  auto back =
      ds::json::parse(redact_json(ds::json::dump(ds::json::Value::object().set("t", text)), {secret}));
  REQUIRE(back.ok());
  CHECK((*back)["t"].as_string() == "a[redacted] b");
}

TEST_CASE("redact: the result is a fixpoint and holds no secret, even when the marker joins a match") {
  const std::string secret = "d]1234567x";  // "[redacte" + "d]1234567x" would re-form it
  std::string once = redact(secret + "1234567x", {secret});
  CHECK(once.find(secret) == std::string::npos);
  CHECK(redact(once, {secret}) == once);
  std::string shaped = redact("Authorization: Bearer abcdefgh12345678 sk-abcdefghijklmnopqrstuvwxyz");
  CHECK(redact(shaped) == shaped);
}
