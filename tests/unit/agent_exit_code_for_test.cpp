// exit_code_for: a library error's kind -> diffsmith's exit code (DESIGN.md,
// "Exit codes").
#include <catch2/catch.hpp>

#include "agent/exit_code.hpp"
#include "git/repository.hpp"
#include "llm/error_kind.hpp"
#include "repomap/cache.hpp"

using ds::make_error;
using ds::agent::exit_code_for;
using ds::agent::ExitCode;

TEST_CASE("exit_code_for: model, repository, usage and interrupt kinds") {
  using L = ds::llm::ErrorKind;
  CHECK(exit_code_for(make_error("bad --temperature", L::Config)) == ExitCode::Usage);
  CHECK(exit_code_for(make_error("cancelled", L::Interrupted)) == ExitCode::Interrupted);
  for (L k : {L::Unknown, L::Auth, L::Quota, L::ContextLength, L::BadRequest, L::Server, L::Network,
              L::Protocol, L::ReplayExhausted, L::RateLimit, L::Connect}) {
    INFO("llm kind " << static_cast<int>(k));
    CHECK(exit_code_for(make_error("model failed", k)) == ExitCode::Model);
  }
  CHECK(exit_code_for(make_error("not a repo", ds::git::ErrorKind::NotARepo)) == ExitCode::Repository);
  CHECK(exit_code_for(make_error("locked", ds::git::ErrorKind::Locked)) == ExitCode::Repository);
  CHECK(exit_code_for(make_error("cache", ds::repomap::ErrorKind::CacheIo)) == ExitCode::Repository);
  CHECK(exit_code_for(make_error("unclassified")) == ExitCode::Model);
  CHECK(ds::agent::to_int(exit_code_for(make_error("x", L::Interrupted))) == 130);
}
