// Settings layering and config-file reading (TOML through CLI11's reader).
#include "agent/cli/settings.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace ds::agent {

std::string Settings::env_name(const std::string& key) {
  std::string out = "DIFFSMITH_";
  for (char c : key) out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<SettingValue> Settings::get(const std::string& key) const {
  if (auto it = flags.find(key); it != flags.end()) return it->second;
  std::string env = env_name(key);
  if (const char* v = std::getenv(env.c_str()); v && *v) return SettingValue{v, "env " + env};
  if (auto it = files.find(key); it != files.end()) return it->second;
  return std::nullopt;
}

std::string Settings::str(const std::string& key, const std::string& fallback) const {
  auto v = get(key);
  return v ? v->value : fallback;
}

std::vector<std::string> Settings::list(const std::string& key) const {
  std::vector<std::string> out;
  auto v = get(key);
  if (!v) return out;
  size_t start = 0;
  while (start <= v->value.size()) {
    size_t nl = v->value.find('\n', start);
    if (nl == std::string::npos) nl = v->value.size();
    if (nl > start) out.push_back(v->value.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

Result<int64_t> Settings::integer(const std::string& key, int64_t fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  char* end = nullptr;
  long long n = std::strtoll(v->value.c_str(), &end, 10);
  if (v->value.empty() || *end != '\0')
    return make_error(key + " must be a whole number, got '" + v->value + "' (from " + v->source + ")");
  return static_cast<int64_t>(n);
}

Result<double> Settings::number(const std::string& key, double fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  char* end = nullptr;
  double d = std::strtod(v->value.c_str(), &end);
  if (v->value.empty() || *end != '\0')
    return make_error(key + " must be a number, got '" + v->value + "' (from " + v->source + ")");
  return d;
}

Result<bool> Settings::boolean(const std::string& key, bool fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  std::string s = v->value;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "0" || s == "no" || s == "off") return false;
  return make_error(key + " must be true or false, got '" + v->value + "' (from " + v->source + ")");
}

bool repo_may_set(std::string_view key) {
  // Each of these acts inside the work tree only. Not here on purpose:
  // endpoint and key settings (base-url, provider, azure-*, record, replay,
  // price-*, model...), pass-env, output-patch, task-file (reads any file),
  // commit/branch/allow-dirty (the user's decisions about their branch and
  // uncommitted work), and any setting added later until it is judged safe.
  static const char* const kAllowed[] = {"test",
                                         "edit-format",
                                         "file",
                                         "max-turns",
                                         "max-cost",
                                         "max-time",
                                         "test-timeout",
                                         "test-output-tokens",
                                         "map-tokens",
                                         "parallel-tool-calls",
                                         "reasoning-effort",
                                         "temperature",
                                         "max-output-tokens"};
  return std::find(std::begin(kAllowed), std::end(kAllowed), key) != std::end(kAllowed);
}

namespace {

// Reads one TOML file into `out`. A repository's file (`repo`) may only set
// what repo_may_set() allows; it may also hold allowed settings this command
// does not take (test = ... seen by doctor), which are skipped.
Status read_file_into(Settings& s, const std::string& path, const std::vector<std::string>& known, bool repo,
                      std::ostream& warn) {
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_file(path);
  } catch (const std::exception& e) {
    return make_error("cannot read config file " + path + ": " + e.what());
  }
  for (const auto& item : items) {
    // Sections are allowed for grouping ([run], [model]); keys are flat.
    std::string key = item.name;
    if (key.empty() || key == "++" || key == "--") continue;  // section markers
    std::replace(key.begin(), key.end(), '_', '-');           // max_cost is max-cost
    bool is_known = std::find(known.begin(), known.end(), key) != known.end();
    if (repo && is_known && !repo_may_set(key)) {
      warn << "diffsmith: ignoring '" << key << "' in " << path
           << ": a repository's .diffsmith.toml may not set it (it could send the API key elsewhere, "
              "expose it to the tests, or write outside the repository); set it in "
              "~/.config/diffsmith/config.toml, as "
           << Settings::env_name(key) << " or as --" << key << "\n";
      s.refused.push_back(SettingValue{key, "config " + path});
      continue;
    }
    if (repo && !is_known && repo_may_set(key)) continue;
    if (!is_known) {
      return make_error("config file " + path + ": unknown setting '" + item.fullname() +
                        "' (settings are the long option names, e.g. max-turns = 30)");
    }
    std::string joined;
    for (size_t i = 0; i < item.inputs.size(); ++i) joined += (i ? "\n" : "") + item.inputs[i];
    s.files[key] = SettingValue{joined, "config " + path};
  }
  return Ok{};
}

}  // namespace

Status load_config_files(Settings& s, const std::string& repo_root,
                         const std::vector<std::string>& known_keys, std::ostream& warn) {
  namespace fs = std::filesystem;
  std::vector<std::pair<std::string, bool>> paths;  // path, is the repository's
  std::string user_dir;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x)
    user_dir = x;
  else if (const char* h = std::getenv("HOME"); h && *h)
    user_dir = std::string(h) + "/.config";
  if (!user_dir.empty()) paths.emplace_back(user_dir + "/diffsmith/config.toml", false);
  if (!repo_root.empty()) paths.emplace_back(repo_root + "/.diffsmith.toml", true);
  for (const auto& [p, repo] : paths) {  // later files override earlier ones
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) continue;
    Status st = read_file_into(s, p, known_keys, repo, warn);
    if (!st.ok()) return st;
  }
  return Ok{};
}

}  // namespace ds::agent
