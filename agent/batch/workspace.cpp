// Repository sources, the clone cache, per-task checkouts, and test-command
// placeholders.
#include "agent/batch/workspace.hpp"

#include <cctype>
#include <cstdio>
#include <filesystem>

#include "agent/batch/shard.hpp"
#include "exec/program.hpp"
#include "git/clone.hpp"

namespace ds::agent {
namespace fs = std::filesystem;
using exec::shell_quote;
namespace {

bool is_owner_name(std::string_view r) {
  size_t slash = r.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == r.size()) return false;
  if (r.find('/', slash + 1) != std::string_view::npos) return false;
  for (char c : r)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/'))
      return false;
  return r[0] != '.';
}

bool is_url(std::string_view r) { return r.find("://") != std::string_view::npos || r.rfind("git@", 0) == 0; }

bool is_dir(const std::string& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

std::string absolute(const std::string& p) {
  std::error_code ec;
  auto a = fs::absolute(p, ec);
  return ec ? p : a.lexically_normal().string();
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
}

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : " ") + shell_quote(i);
  return out;
}

}  // namespace

std::string safe_name(std::string_view id) {
  std::string out;
  bool changed = false;
  for (char c : id) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    out += ok ? c : '_';
    changed |= !ok;
  }
  if (!out.empty() && out[0] == '.') out[0] = '_', changed = true;
  if (out.size() > 100) out.resize(100), changed = true;
  if (out.empty() || changed) {
    char suffix[20];
    std::snprintf(suffix, sizeof suffix, "-%08llx",
                  static_cast<unsigned long long>(stable_hash(id) & 0xffffffffu));
    out += suffix;
  }
  return out;
}

std::string test_command_for(const BatchTask& t, const std::string& template_cmd,
                             const std::vector<std::string>& test_files, const std::string& tests_file) {
  std::string cmd = t.test_cmd.empty() ? template_cmd : t.test_cmd;
  if (cmd.empty()) return cmd;
  std::vector<std::string> tests = t.fail_to_pass;
  tests.insert(tests.end(), t.pass_to_pass.begin(), t.pass_to_pass.end());
  replace_all(cmd, "{tests}", quoted_list(tests));
  replace_all(cmd, "{fail_to_pass}", quoted_list(t.fail_to_pass));
  replace_all(cmd, "{tests_file}", shell_quote(tests_file));
  replace_all(cmd, "{test_files}", quoted_list(test_files));
  replace_all(cmd, "{id}", shell_quote(t.id));
  replace_all(cmd, "{repo}", shell_quote(t.repo));
  replace_all(cmd, "{version}", shell_quote(t.version));
  return cmd;
}

std::shared_ptr<std::mutex> Workspace::lock_for(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& m = locks_[key];
  if (!m) m = std::make_shared<std::mutex>();
  return m;
}

bool Workspace::is_cache(const std::string& path) const {
  return !o_.work_dir.empty() && path.rfind(absolute(o_.work_dir + "/repos") + "/", 0) == 0;
}

Result<std::string> Workspace::source_for(const BatchTask& t) {
  const std::string& r = t.repo;
  // 1. A mirror in --repos-dir.
  if (!o_.repos_dir.empty() && is_owner_name(r)) {
    std::string flat = r.substr(0, r.find('/')) + "__" + r.substr(r.find('/') + 1);
    for (const std::string& c :
         {o_.repos_dir + "/" + flat, o_.repos_dir + "/" + flat + ".git", o_.repos_dir + "/" + r})
      if (is_dir(c)) return absolute(c);
  }
  // 2. A local path (relative to the current folder, else to the tasks file).
  if (!is_url(r)) {
    if (is_dir(r)) return absolute(r);
    if (r[0] != '/' && !o_.tasks_dir.empty() && is_dir(o_.tasks_dir + "/" + r))
      return absolute(o_.tasks_dir + "/" + r);
  }
  // 3. A clone cached under --work-dir/repos.
  std::string url;
  if (is_url(r))
    url = r;
  else if (is_owner_name(r))
    url = "https://github.com/" + r;
  else
    return make_error(
        "repo \"" + r + "\" is not a local folder, an owner/name or a git URL" +
        (o_.repos_dir.empty() ? "" : " (and no mirror of it is in --repos-dir " + o_.repos_dir + ")"));
  std::string name =
      is_owner_name(r) ? r.substr(0, r.find('/')) + "__" + r.substr(r.find('/') + 1) : safe_name(r);
  std::string cache = absolute(o_.work_dir + "/repos/" + name + ".git");
  auto lock = lock_for(cache);
  std::lock_guard<std::mutex> hold(*lock);
  if (is_dir(cache)) return cache;
  std::error_code ec;
  fs::create_directories(o_.work_dir + "/repos", ec);
  if (Status st = git::clone_bare(url, cache, o_.cancel); !st.ok())
    return make_error(
        st.error().message + (o_.repos_dir.empty() && is_owner_name(r)
                                  ? "; without network access, put a mirror at --repos-dir DIR/" + name
                                  : ""),
        st.error().kind);
  return cache;
}

Result<git::Repository> Workspace::checkout(const BatchTask& t, const std::string& dir) {
  auto source = source_for(t);
  if (!source) return source.error();
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(fs::path(dir).parent_path(), ec);
  auto repo = git::clone_checkout(*source, dir, t.base_commit, o_.cancel);
  if (!repo && repo.error().is(git::ErrorKind::NotFound) && is_cache(*source)) {
    // The cache predates the commit: fetch it once more (one worker at a time).
    {
      auto lock = lock_for(*source);
      std::lock_guard<std::mutex> hold(*lock);
      if (Status st = git::fetch_origin(*source, o_.cancel); !st.ok()) return st.error();
    }
    fs::remove_all(dir, ec);
    repo = git::clone_checkout(*source, dir, t.base_commit, o_.cancel);
  }
  if (!repo) fs::remove_all(dir, ec);
  return repo;
}

}  // namespace ds::agent
