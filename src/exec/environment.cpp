// The environment a command gets: the parent's, minus the variables that
// look like secrets, with credentials cut out of URL values, plus the
// request's own variables.
#include <fnmatch.h>

#include <algorithm>
#include <cctype>

#include "exec/process.hpp"

extern char** environ;

namespace ds::exec {
namespace {

// Case-insensitive: `openai_api_key` is read by the same programs as
// OPENAI_API_KEY (Python's os.environ on Windows, dotenv loaders, tools
// that lower-case names).
bool matches_any(const std::string& name, const std::vector<std::string>& patterns) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) {
    return ::fnmatch(p.c_str(), name.c_str(), FNM_CASEFOLD) == 0;
  });
}

}  // namespace

// The parent's environment minus scrubbed names, plus req.set. When
// scrubbing, URL values keep their scheme, host and path but lose a
// `user:password@` (a proxy or an OPENAI_BASE_URL with credentials).
std::vector<std::string> child_environment(const RunRequest& req) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    size_t eq = entry.find('=');
    std::string name = entry.substr(0, eq);
    if (req.set.count(name)) continue;
    bool kept = matches_any(name, req.keep);
    if (matches_any(name, req.scrub) && !kept) continue;
    if (!req.scrub.empty() && !kept && eq != std::string::npos)
      entry = name + "=" + strip_url_credentials(std::string_view(entry).substr(eq + 1));
    env.push_back(std::move(entry));
  }
  for (const auto& [k, v] : req.set) env.push_back(k + "=" + v);
  return env;
}

const std::vector<std::string>& secret_env_patterns() {
  // Matched case-insensitively. *_DSN: Sentry-style DSNs embed a key;
  // *_JWT*: CI job tokens (CI_JOB_JWT, CI_JOB_JWT_V2); NPM_AUTH*: npm's _auth/_authToken.
  static const std::vector<std::string> kPatterns = {
      "*_API_KEY",     "*API_KEY*",    "*_TOKEN", "*SECRET*",  "*PASSWORD*",
      "*_PASSWD",      "*_KEY",        "*_PAT",   "*_PEM",     "*_JWT*",
      "*CREDENTIALS*", "DATABASE_URL", "*_DSN",   "NPM_AUTH*", "DOCKER_AUTH_CONFIG"};
  return kPatterns;
}

std::string strip_url_credentials(std::string_view value) {
  auto scheme_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  };
  std::string out;
  size_t i = 0;
  while (i < value.size()) {
    size_t scheme_end = value.find("://", i);
    if (scheme_end == std::string_view::npos) break;
    size_t scheme_start = scheme_end;
    while (scheme_start > i && scheme_char(value[scheme_start - 1])) --scheme_start;
    std::string scheme(value.substr(scheme_start, scheme_end - scheme_start));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    size_t authority = scheme_end + 3;
    size_t end = value.find_first_of("/?# \t\n,;\"'", authority);
    if (end == std::string_view::npos) end = value.size();
    size_t at = end > authority ? value.rfind('@', end - 1) : std::string_view::npos;
    bool has_user = at != std::string_view::npos && at >= authority;
    // ssh://git@host names an account, not a secret; a password always goes,
    // and so does a user part in http(s) URLs, where it is often a token.
    bool ssh = scheme == "ssh" || scheme == "git+ssh" || scheme == "ssh+git" || scheme == "sftp";
    bool password = has_user && value.substr(authority, at - authority).find(':') != std::string_view::npos;
    out.append(value.substr(i, authority - i));
    i = has_user && (password || !ssh) ? at + 1 : authority;
  }
  out.append(value.substr(std::min(i, value.size())));
  return out;
}

}  // namespace ds::exec
