// The environment scrub (issue 21, item 10): names match case-insensitively
// (`openai_api_key`), the shapes *_PASSWD, *_PEM, *_JWT, NPM_AUTH*,
// DOCKER_AUTH_CONFIG, *_DSN are removed, and URL values keep their host but
// lose `user:password@`. Table-driven through a real subprocess (`env`
// under the SystemRunner), then once through the real sandbox binary.
#include <stdlib.h>

#include <catch2/catch.hpp>

#include "exec/process.hpp"
#include "support/run_fixture.hpp"

using namespace ds::test::e2e;

namespace {

struct Case {
  const char* name;
  const char* value;
  const char* expected;  // the line `env` prints; nullptr: the variable is gone
};

const Case kCases[] = {
    {"openai_api_key", "sk-lower-1", nullptr},
    {"Github_Token", "tok-mixed-2", nullptr},
    {"DS_SMTP_PASSWD", "pw-3", nullptr},
    {"DS_TLS_PEM", "-----BEGIN PRIVATE KEY----- pem-4", nullptr},
    {"CI_JOB_JWT", "jwt-5", nullptr},
    {"CI_JOB_JWT_V2", "jwt-6", nullptr},
    {"NPM_AUTH", "npm-7", nullptr},
    {"NPM_AUTH_TOKEN", "npm-8", nullptr},
    {"npm_auth", "npm-9", nullptr},
    {"DOCKER_AUTH_CONFIG", "{\"auths\":{\"r\":{\"auth\":\"docker-10\"}}}", nullptr},
    {"SENTRY_DSN", "https://pub-11@o1.ingest.sentry.io/1", nullptr},
    {"DS_DB_DSN", "pgsql:host=db;password=dsn-12", nullptr},
    {"database_url", "postgres://u:db-13@db/x", nullptr},
    // URL values: the variable stays, the credentials go.
    {"OPENAI_BASE_URL", "https://user:url-14@proxy.example.com/v1",
     "OPENAI_BASE_URL=https://proxy.example.com/v1"},
    {"HTTPS_PROXY", "http://url-15@proxy:3128", "HTTPS_PROXY=http://proxy:3128"},
    {"DS_MIRRORS", "https://a:url-16@one/x https://two/y", "DS_MIRRORS=https://one/x https://two/y"},
    {"DS_GIT_PUSH", "ssh://git:url-17@host/repo.git", "DS_GIT_PUSH=ssh://host/repo.git"},
    // Left alone.
    {"DS_PLAIN_URL", "https://example.com/a@b", "DS_PLAIN_URL=https://example.com/a@b"},
    {"DS_EMAIL", "someone@example.com", "DS_EMAIL=someone@example.com"},
    {"DS_GIT_REMOTE", "ssh://git@host/repo.git", "DS_GIT_REMOTE=ssh://git@host/repo.git"},
    {"DS_HARMLESS", "kept-18", "DS_HARMLESS=kept-18"},
};

// The secret part of each case's value, which must appear nowhere.
const char* const kSecrets[] = {"sk-lower-1", "tok-mixed-2", "pw-3",   "pem-4",     "jwt-5",  "jwt-6",
                                "npm-7",      "npm-8",       "npm-9",  "docker-10", "pub-11", "dsn-12",
                                "db-13",      "url-14",      "url-15", "url-16",    "url-17"};

bool has_line(const std::string& out, const std::string& line) {
  return ("\n" + out).find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

TEST_CASE("env scrub: case-insensitive names, new shapes, URL credentials (table)") {
  for (const Case& c : kCases) ::setenv(c.name, c.value, 1);
  ds::exec::RunRequest req;
  req.command = "env";
  req.scrub = ds::exec::secret_env_patterns();
  req.keep = {"Npm_Auth_Token"};  // --pass-env matches case-insensitively too
  auto r = ds::exec::SystemRunner().run(req);
  for (const Case& c : kCases) ::unsetenv(c.name);
  REQUIRE(r.ok());
  for (const Case& c : kCases) {
    INFO(c.name);
    if (std::string(c.name) == "NPM_AUTH_TOKEN") {
      CHECK(has_line(r->output, "NPM_AUTH_TOKEN=npm-8"));
    } else if (c.expected) {
      CHECK(has_line(r->output, c.expected));
    } else {
      CHECK_FALSE(contains(r->output, std::string(c.name) + "="));
    }
  }
  for (const char* secret : kSecrets) {
    if (std::string(secret) == "npm-8") continue;  // kept on purpose above
    INFO(secret);
    CHECK_FALSE(contains(r->output, secret));
  }
}

TEST_CASE("env scrub: strip_url_credentials") {
  using ds::exec::strip_url_credentials;
  CHECK(strip_url_credentials("https://u:p@h/x?y=1") == "https://h/x?y=1");
  CHECK(strip_url_credentials("https://u:p@h") == "https://h");
  CHECK(strip_url_credentials("https://u:p@ss@h:8080/") == "https://h:8080/");
  CHECK(strip_url_credentials("https://h/a@b") == "https://h/a@b");
  CHECK(strip_url_credentials("x=https://u@h,y=ftp://v:w@g/") == "x=https://h,y=ftp://g/");
  CHECK(strip_url_credentials("no url @ all") == "no url @ all");
  CHECK(strip_url_credentials("://@") == "://");
  CHECK(strip_url_credentials("") == "");
}

TEST_CASE("env scrub through the sandbox: diffsmith sandbox -- env") {
  TempRepo repo({{"a.txt", "hello\n"}});
  ProcOptions opts;
  opts.cwd = repo.root();
  for (const Case& c : kCases) opts.env[c.name] = c.value;
  ProcResult r = run_diffsmith({"sandbox", "--", "env"}, opts);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(has_line(r.out, "OPENAI_BASE_URL=https://proxy.example.com/v1"));
  CHECK(has_line(r.out, "DS_HARMLESS=kept-18"));
  for (const char* secret : kSecrets) {
    INFO(secret);
    CHECK_FALSE(contains(r.out, secret));
  }
}
