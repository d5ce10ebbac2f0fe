// The model client's error kinds: which are retryable (the table behind the
// retry rule), which are final, and that a kind of one library never equals
// a kind of another.
#include <catch2/catch.hpp>

#include "base/result.hpp"
#include "git/repository.hpp"
#include "llm/error_kind.hpp"
#include "llm/retry.hpp"

using ds::llm::ErrorKind;

TEST_CASE("llm error kinds: is_retryable, kind by kind") {
  struct Row {
    ErrorKind kind;
    bool retryable;
    bool final;
  };
  const Row rows[] = {
      {ErrorKind::Unknown, false, false},       {ErrorKind::Config, false, true},
      {ErrorKind::Auth, false, false},          {ErrorKind::Quota, false, false},
      {ErrorKind::ContextLength, false, false}, {ErrorKind::BadRequest, false, false},
      {ErrorKind::Server, true, false},         {ErrorKind::Network, true, false},
      {ErrorKind::Protocol, true, false},       {ErrorKind::ReplayExhausted, false, true},
      {ErrorKind::Interrupted, false, true},    {ErrorKind::RateLimit, true, false},
      {ErrorKind::Connect, true, false},
  };
  for (const Row& r : rows) {
    INFO("kind " << static_cast<int>(r.kind));
    CHECK(ds::llm::is_retryable(r.kind) == r.retryable);
    CHECK(ds::llm::is_final(r.kind) == r.final);
    // Without a response, the kind alone decides.
    CHECK(ds::llm::is_retryable(0, ds::llm::Headers{}, r.kind) == r.retryable);
    // A server's x-should-retry: true cannot revive a final kind.
    CHECK(ds::llm::is_retryable(0, ds::llm::Headers{{"x-should-retry", "true"}}, r.kind) == !r.final);
  }
}

TEST_CASE("error kinds: no overlap between libraries, and unspecified is no kind") {
  // llm's Config and git's NotARepo are both the enum's value 1.
  REQUIRE(static_cast<int>(ErrorKind::Config) == static_cast<int>(ds::git::ErrorKind::NotARepo));
  ds::Error e = ds::make_error("not a git repository: /tmp/x", ds::git::ErrorKind::NotARepo);
  CHECK(e.is(ds::git::ErrorKind::NotARepo));
  CHECK_FALSE(e.is(ErrorKind::Config));
  CHECK(e.kind.library() == ds::ErrorLibrary::Git);
  CHECK(e.kind.as<ds::git::ErrorKind>() == ds::git::ErrorKind::NotARepo);
  CHECK_FALSE(e.kind.as<ErrorKind>().has_value());

  ds::Error plain = ds::make_error("something failed");
  CHECK_FALSE(plain.kind.specified());
  CHECK_FALSE(plain.is(ErrorKind::Unknown));
  CHECK_FALSE(plain.is(ds::git::ErrorKind::GitError));
  // An unclassified failure is not retried without a response.
  CHECK_FALSE(ds::llm::is_retryable(0, ds::llm::Headers{}, plain.kind));
}
